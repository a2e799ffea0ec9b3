-- The model rows of one LTV refresh (bgnbd, gamma_gamma, contractual).
SELECT
    model,
    status,
    params,
    log_likelihood,
    n,
    converged,
    iterations,
    message,
    currency,
    margin,
    discount_rate
FROM ltv_fits
WHERE fit_id = {fit_id:String}
ORDER BY model
