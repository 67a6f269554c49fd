-- Courier SQL micro-benchmark, step 1: 60,000 pending webhook deliveries, shaped like the fan-out's,
-- in a database seeded by the bench (`npm run bench -- --only 1000 --keep`), plus a table q(n → id)
-- that gives every pgbench client its own deliveries (client c takes n = c*2000+1 … c*2000+2000).
INSERT INTO notices (reference, issuing_agency_id, author_id, status, content_hash, title, summary, body_markdown, body_html,
                     category, severity, topics, approved_by, approved_content_hash, published_at)
SELECT 'PB-' || g, issuing_agency_id, author_id, 'published', content_hash, title, summary, body_markdown, body_html,
       category, severity, topics, approved_by, approved_content_hash, now()
  FROM notices n, generate_series(1, 60) g WHERE n.title LIKE 'Bench notice%';
CREATE TABLE pb_notices AS SELECT id FROM notices WHERE reference LIKE 'PB-%';
INSERT INTO acknowledgments (notice_id, agency_id, due_at)
SELECT pn.id, s.agency_id, now() + interval '1 day'
  FROM pb_notices pn, subscriptions s JOIN agencies g ON g.id = s.agency_id
 WHERE g.name LIKE 'Bench agency%' AND s.channel = 'webhook';
INSERT INTO deliveries (notice_id, subscription_id, agency_id, acknowledgment_id, event_type, channel, target_url)
SELECT a.notice_id, s.id, s.agency_id, a.id, 'notice.published', 'webhook', s.webhook_url
  FROM acknowledgments a JOIN pb_notices pn ON pn.id = a.notice_id JOIN subscriptions s ON s.agency_id = a.agency_id;
CREATE TABLE q AS SELECT row_number() OVER (ORDER BY random()) AS n, id FROM deliveries WHERE notice_id IN (SELECT id FROM pb_notices);
ALTER TABLE q ADD PRIMARY KEY (n);
VACUUM ANALYZE;
