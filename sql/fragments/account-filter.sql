-- The account filter and scope shared by every analytics query (analytics/scope.ts builds the
-- parameters). A query includes it with {{account-filter}} where a boolean expression is wanted,
-- over a table or subquery that has the filter columns of account_snapshot (account_id, segment,
-- region, industry, acquisition_channel, owner_email, team, tier, categories). An empty list
-- means "any". Scope: everything, or the accounts of the listed owners or with the listed ids.
(
    (empty({f_segment:Array(String)}) OR segment IN {f_segment:Array(String)})
    AND (empty({f_region:Array(String)}) OR region IN {f_region:Array(String)})
    AND (empty({f_industry:Array(String)}) OR industry IN {f_industry:Array(String)})
    AND (empty({f_channel:Array(String)}) OR acquisition_channel IN {f_channel:Array(String)})
    AND (empty({f_owner:Array(String)}) OR owner_email IN {f_owner:Array(String)})
    AND (empty({f_team:Array(String)}) OR team IN {f_team:Array(String)})
    AND (empty({f_tier:Array(String)}) OR tier IN {f_tier:Array(String)})
    AND (empty({f_category:Array(String)}) OR hasAny(categories, {f_category:Array(String)}))
    AND ({scope_all:Bool} OR owner_email IN {scope_owners:Array(String)} OR account_id IN {scope_accounts:Array(String)})
)
