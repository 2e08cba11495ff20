-- Situation reports produced, by hand (job "manual") or by a scheduled job
-- of hub.toml: what, for which period, when, where it went, how it ended.
CREATE TABLE report_runs (
    id BIGSERIAL PRIMARY KEY,
    job TEXT NOT NULL,
    period TEXT NOT NULL,               -- daily | weekly | monthly
    report_date TEXT NOT NULL,          -- first day of the period, YYYY-MM-DD
    formats TEXT NOT NULL,              -- comma-separated: html,xlsx,json,csv
    scheduled_for TIMESTAMP,            -- the cron time this run answers (UTC); NULL by hand
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status TEXT NOT NULL,               -- running | ok | failed
    outputs TEXT NOT NULL,              -- files written or webhook URL, one per line
    error TEXT
);
CREATE INDEX report_runs_job ON report_runs (job, scheduled_for);
