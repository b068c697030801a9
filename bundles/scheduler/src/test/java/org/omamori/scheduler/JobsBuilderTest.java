package org.omamori.scheduler;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

/** Mistakes in the job list fail at once, before anything touches the database. */
class JobsBuilderTest {

    private final Jobs.Builder builder = Jobs.on(new NoDatabase());

    @Test
    void namesAreUniqueAndFitTheTable() {
        builder.every("alert-mail", Duration.ofSeconds(30), at -> { });
        assertThatThrownBy(() -> builder.dailyAt("alert-mail", LocalTime.NOON, ZoneId.of("Asia/Tokyo"), at -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two jobs named alert-mail");
        assertThatThrownBy(() -> builder.every(" ", Duration.ofSeconds(1), at -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.every("x".repeat(Jobs.MAX_NAME_LENGTH + 1), Duration.ofSeconds(1), at -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.nodeName(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void intervalsAndSettingsMustBePositive() {
        assertThatThrownBy(() -> builder.every("zero", Duration.ZERO, at -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero");
        assertThatThrownBy(() -> builder.pollingInterval(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.heartbeatInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.shutdownWait(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.threads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.dailyAt("tz", LocalTime.NOON, null, at -> { })).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.every("no-job", Duration.ofSeconds(1), null)).isInstanceOf(NullPointerException.class);
    }

    /** A data source that must not be used. */
    private static final class NoDatabase implements DataSource {
        @Override
        public Connection getConnection() {
            throw new AssertionError("no database in this test");
        }

        @Override
        public Connection getConnection(String user, String password) {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
