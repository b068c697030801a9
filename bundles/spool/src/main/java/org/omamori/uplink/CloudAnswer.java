package org.omamori.uplink;

import java.time.Duration;

/** What the cloud said to one request, as the uplink acts on it. */
public sealed interface CloudAnswer {

    /** 2xx: the events are stored (received counts new and replayed ones; stored only new ones). */
    record Accepted(int received, int stored) implements CloudAnswer {
    }

    /**
     * A heartbeat recorded; {@code newDefinitions} names the kinds of definitions the cloud now serves
     * newer than the appliance reported (docs/api/uplink.yaml): pull them without waiting;
     * {@code settingsVersion} a version of the appliance's settings it has neither applied nor refused.
     */
    record Beat(java.util.Set<String> newDefinitions, java.util.OptionalInt settingsVersion) implements CloudAnswer {
        public Beat {
            newDefinitions = java.util.Set.copyOf(newDefinitions);
        }
    }

    /** Activation gave a device token. */

    record Activated(DeviceToken token) implements CloudAnswer {
    }

    /** 400 or 422: the request is invalid and will stay so; sending it again does not help. */
    record Refused(int status, String message) implements CloudAnswer {
    }

    /** 413: the body is too large; a smaller batch may pass. */
    record TooLarge(String message) implements CloudAnswer {
    }

    /** 401 or 403: the device token (or activation code) is not accepted. */
    record Unauthorized(int status, String message) implements CloudAnswer {
    }

    /** Anything else (5xx, 429, timeouts, connection or TLS failures): try again later, not before {@code retryAfter}. */
    record Failed(String reason, Duration retryAfter) implements CloudAnswer {
    }
}
