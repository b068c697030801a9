package org.omamori.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;

/** Talks to a running appliance's loopback admin endpoint with the token from its state folder. */
final class AdminClient {

    private final ApplianceHome home;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    AdminClient(ApplianceHome home) {
        this.home = home;
    }

    /** Why the admin endpoint could not answer; carries the CLI exit code. */
    static final class Unavailable extends Exception {
        final int exitCode;

        Unavailable(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    String get(String path) throws Unavailable {
        return send(path, null);
    }

    /** POSTs a body (e.g. a download to inspect) and returns the answer. */
    String post(String path, byte[] body) throws Unavailable {
        return send(path, body);
    }

    private String send(String path, byte[] body) throws Unavailable {
        String port;
        String token;
        try {
            port = Files.readString(home.state().resolve("admin.port")).trim();
            token = Files.readString(home.state().resolve("admin.token")).trim();
        } catch (NoSuchFileException e) {
            throw new Unavailable("the appliance in " + home.dir() + " is not running (no " + e.getFile() + ")", 3);
        } catch (IOException e) {
            throw new Unavailable("cannot read the admin token in " + home.state() + ": " + e.getMessage(), 4);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .method(body == null ? "GET" : "POST",
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401) {
                throw new Unavailable("the appliance refused the admin token in " + home.state(), 4);
            }
            if (response.statusCode() != 200) {
                throw new Unavailable("the appliance answered " + response.statusCode() + ": " + response.body().strip(), 1);
            }
            return response.body();
        } catch (ConnectException e) {
            throw new Unavailable("the appliance in " + home.dir() + " is not running (nothing listens on port " + port + ")", 3);
        } catch (IOException e) {
            throw new Unavailable("the appliance did not answer: " + e.getMessage(), 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted", 1);
        }
    }
}
