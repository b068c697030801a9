-- The cluster-safe scheduler's table (bundles/scheduler, org.omamori.scheduler.Jobs on
-- db-scheduler): one row per planned execution; a recurring job has exactly one row,
-- (job name, 'recurring'), whose execution_time is its next run. A node claims a due row with
-- UPDATE ... SET picked = TRUE, version = version + 1 WHERE ... AND version = <the version it
-- read>: one node wins, so each execution runs once however many cloud nodes share the
-- database. The node running it refreshes last_heartbeat; a row whose heartbeat stopped (its
-- node died) is taken over by another node.
-- Columns as db-scheduler 16 expects (its postgresql_tables.sql), with types that H2 2.x,
-- PostgreSQL and jOOQ's DDL parser all accept: VARCHAR(n) where db-scheduler's PostgreSQL
-- script says TEXT (on H2, TEXT is a CLOB, which cannot be in a primary key); BYTEA is
-- PostgreSQL's binary type and, on H2, a name of VARBINARY. Names as db-scheduler has them, so
-- no table or column name needs configuring.
CREATE TABLE scheduled_tasks (
    task_name             VARCHAR(255) NOT NULL,
    task_instance         VARCHAR(255) NOT NULL,
    task_data             BYTEA,
    execution_time        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    picked                BOOLEAN NOT NULL,
    picked_by             VARCHAR(255),
    last_success          TIMESTAMP(6) WITH TIME ZONE,
    last_failure          TIMESTAMP(6) WITH TIME ZONE,
    consecutive_failures  INTEGER,
    last_heartbeat        TIMESTAMP(6) WITH TIME ZONE,
    version               BIGINT NOT NULL,
    priority              SMALLINT,
    CONSTRAINT scheduled_tasks_pk PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time ON scheduled_tasks (priority DESC, execution_time ASC);
