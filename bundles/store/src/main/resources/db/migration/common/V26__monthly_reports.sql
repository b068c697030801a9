-- Monthly reports (docs/reports.md): one PDF per customer and month, made on the 1st for the month
-- before and kept for the portal; the primary key makes a rerun of the month skip what is made.
-- report_mail: the customer chose to be mailed when its report is ready (a link, no attachment).
CREATE TABLE monthly_reports (
    customer_id   BIGINT NOT NULL REFERENCES customers (id),
    report_month  DATE   NOT NULL,
    pdf           BYTEA  NOT NULL,
    created_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT monthly_reports_pk PRIMARY KEY (customer_id, report_month)
);
ALTER TABLE customers ADD COLUMN report_mail BOOLEAN DEFAULT FALSE NOT NULL;

-- The hours of each Japanese day in which an appliance's heartbeat came (bit h = hour h, 0..23):
-- the report's availability per appliance. heartbeats keeps only the last one.
CREATE TABLE appliance_days (
    appliance_id  CHAR(12) NOT NULL,
    jst_day       DATE     NOT NULL,
    hours         INT      NOT NULL,
    CONSTRAINT appliance_days_pk PRIMARY KEY (appliance_id, jst_day)
);

-- Each time a heartbeat named other definition versions than the one before (the report's
-- "definitions updates"); heartbeats.definitions_since keeps only the last.
CREATE TABLE definitions_updates (
    appliance_id  CHAR(12) NOT NULL,
    updated_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT definitions_updates_pk PRIMARY KEY (appliance_id, updated_at)
);
