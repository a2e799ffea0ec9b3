-- Complaint escalations (analytics/voc/service.ts serviceEscalations; portal worklist, `tenure
-- export escalations`): complaints of one refresh still open on the refresh date and older than
-- the tenant's complaint_escalation_business_days (flag computed by the refresh), for the accounts
-- the filter and scope allow, with the account's owner and the owner's manager; oldest first, a
-- page of {limit} from {offset}; total = rows before paging.
SELECT
    t.ticket_id AS ticket_id,
    t.account_id AS account_id,
    a.name AS account_name,
    toString(t.owner_email) AS owner,
    toString(t.manager_email) AS manager,
    toString(t.team) AS owner_team,
    toString(t.created_at) AS created_time,
    toString(t.created_day) AS created_local_day,
    t.business_age AS business_days_open,
    toString(t.priority) AS ticket_priority,
    toString(t.ticket_category) AS ticket_category_name,
    toString(t.status) AS ticket_status,
    count() OVER () AS total
FROM
(
    SELECT *
    FROM service_tickets
    WHERE refresh_id = {refresh_id:String}
      AND escalated = 1
      AND {{account-filter}}
) AS t
LEFT JOIN
(
    SELECT account_id, name
    FROM account_snapshot
    WHERE refresh_id = {refresh_id:String}
      AND account_id IN (SELECT account_id FROM service_tickets WHERE refresh_id = {refresh_id:String} AND escalated = 1)
) AS a ON a.account_id = t.account_id
ORDER BY t.business_age DESC, t.created_at, t.ticket_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
