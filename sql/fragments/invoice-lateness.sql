-- Per invoice issued on or before {as_of} (void ones left out), as the health score's payment
-- component and the churn model's payment features read it (one rule, two readers): whether it
-- was paid in full by {as_of} (payments through that day cover its amount), settled (paid in
-- full, or marked paid without payment rows), and its days late: last payment − due date when
-- paid in full, 0 when settled otherwise, {as_of} − due date while open; never below 0.
-- Included with {{invoice-lateness}} as a subquery.
SELECT
    i.account_id AS account_id,
    i.due_date AS due_date,
    p.invoice_id != '' AND p.paid_through >= i.amount AS paid_in_full,
    paid_in_full OR (i.status = 'paid' AND p.invoice_id = '') AS settled,
    greatest(0, multiIf(
        paid_in_full, dateDiff('day', i.due_date, p.last_paid),
        settled, 0,
        dateDiff('day', i.due_date, {as_of:Date}))) AS days_late
FROM
(
    SELECT invoice_id, account_id, due_date, amount, status
    FROM invoices FINAL
    WHERE issued_at <= {as_of:Date}
      AND status != 'void'
) AS i
LEFT JOIN
(
    SELECT
        invoice_id,
        sumIf(amount, paid_at <= {as_of:Date}) AS paid_through,
        maxIf(paid_at, paid_at <= {as_of:Date}) AS last_paid
    FROM payments FINAL
    GROUP BY invoice_id
) AS p ON p.invoice_id = i.invoice_id
