-- Between pgbench runs: every micro-benchmark delivery pending again (then VACUUM ANALYZE deliveries).
UPDATE deliveries SET status = 'pending', attempt_count = 0, delivered_at = NULL, lease_until = NULL,
       next_attempt_at = now() - interval '1 s'
 WHERE notice_id IN (SELECT id FROM pb_notices);
