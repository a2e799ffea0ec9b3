-- Whether a ticket breached its SLA by the end of the as-of day (METRICS.md "SLA breach"): its
-- first response, or its resolution, came later than its priority's target, or has not come by
-- day_end (the end of the as-of day, a DateTime the including query defines) and the target has
-- passed. Targets in hours per priority: {sla_priorities} with {sla_first_hours} and
-- {sla_resolution_hours}, the normal priority's for an unknown one ({sla_first_default},
-- {sla_resolution_default}). Used by the health score and the churn model's features: one rule.
(
    dateDiff('second', created_at,
        if(first_response_at IS NOT NULL AND first_response_at < day_end, assumeNotNull(first_response_at), day_end))
        > 3600 * transform(toString(priority), {sla_priorities:Array(String)}, {sla_first_hours:Array(Float64)}, {sla_first_default:Float64})
    OR dateDiff('second', created_at,
        if(resolved_at IS NOT NULL AND resolved_at < day_end, assumeNotNull(resolved_at), day_end))
        > 3600 * transform(toString(priority), {sla_priorities:Array(String)}, {sla_resolution_hours:Array(Float64)}, {sla_resolution_default:Float64})
)
