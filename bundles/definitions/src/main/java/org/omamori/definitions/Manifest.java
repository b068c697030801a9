package org.omamori.definitions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * The {@code manifest.json} of a package: what it is for, which version, when it was made, and
 * every file it holds with its size and SHA-256. Reading is strict: format 1, every field once,
 * no unknown field, known kind, canonical version, safe paths, no duplicate path.
 *
 * <pre>{"format":1,"kind":"urlfilter","version":"2026.11.23.1","created":"2026-11-23T01:02:03Z",
 *  "files":[{"path":"categories.conf","size":812,"sha256":"9f86d0…"}]}</pre>
 */
public record Manifest(Kind kind, PackageVersion version, Instant created, List<File> files) {

    /** The only format this code reads and writes. */
    public static final int FORMAT = 1;

    /** One file of the package: its path under {@code files/}, byte count and SHA-256 (lower-case hex). */
    public record File(String path, long size, String sha256) {
        public File {
            PackagePaths.problem(path).ifPresent(p -> {
                throw new IllegalArgumentException("file '" + path + "': " + p);
            });
            if (size < 0) {
                throw new IllegalArgumentException("file '" + path + "': negative size");
            }
            if (sha256.length() != 64 || !sha256.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw new IllegalArgumentException("file '" + path + "': sha256 must be 64 lower-case hex digits");
            }
        }
    }

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(1024).maxNestingDepth(4).maxNumberLength(20).build())
            .build();

    public Manifest {
        files = List.copyOf(files);
        Set<String> seen = new HashSet<>();
        for (File f : files) {
            if (!seen.add(f.path())) {
                throw new IllegalArgumentException("file '" + f.path() + "' listed twice");
            }
        }
    }

    /** The JSON form, UTF-8. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeStringField("kind", kind.id());
            g.writeStringField("version", version.text());
            g.writeStringField("created", created.toString());
            g.writeArrayFieldStart("files");
            for (File f : files) {
                g.writeStartObject();
                g.writeStringField("path", f.path());
                g.writeNumberField("size", f.size());
                g.writeStringField("sha256", f.sha256());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** Reads a manifest; IllegalArgumentException says what is wrong and where. */
    public static Manifest parse(byte[] json, int maxFiles) {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "manifest");
            Integer format = null;
            Kind kind = null;
            PackageVersion version = null;
            Instant created = null;
            List<File> files = null;
            Set<String> fields = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!fields.add(name)) {
                    throw new IllegalArgumentException("manifest field '" + name + "' given twice");
                }
                JsonToken t = p.nextToken();
                switch (name) {
                    case "format" -> {
                        expect(t, JsonToken.VALUE_NUMBER_INT, "format");
                        format = p.getIntValue();
                    }
                    case "kind" -> kind = Kind.parse(text(p, t, "kind"));
                    case "version" -> version = PackageVersion.parse(text(p, t, "version"));
                    case "created" -> {
                        String s = text(p, t, "created");
                        try {
                            created = Instant.parse(s);
                        } catch (DateTimeParseException e) {
                            throw new IllegalArgumentException("manifest 'created' must be an ISO-8601 UTC instant, got '" + s + "'");
                        }
                    }
                    case "files" -> files = files(p, t, maxFiles);
                    default -> throw new IllegalArgumentException("unknown manifest field '" + name + "'");
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("manifest must be one JSON object");
            }
            if (format == null || kind == null || version == null || created == null || files == null) {
                throw new IllegalArgumentException("manifest needs format, kind, version, created and files");
            }
            if (format != FORMAT) {
                throw new IllegalArgumentException("manifest format " + format + " is not supported (this appliance reads " + FORMAT + ")");
            }
            return new Manifest(kind, version, created, files);
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("manifest over a bound: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("manifest is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("manifest is not readable: " + e.getMessage());
        }
    }

    private static List<File> files(JsonParser p, JsonToken t, int maxFiles) throws IOException {
        expect(t, JsonToken.START_ARRAY, "files");
        List<File> files = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (files.size() >= maxFiles) {
                throw new IllegalArgumentException("manifest lists more than " + maxFiles + " files");
            }
            expect(t, JsonToken.START_OBJECT, "files[" + files.size() + "]");
            String path = null;
            Long size = null;
            String sha = null;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                t = p.nextToken();
                switch (name) {
                    case "path" -> path = path == null ? text(p, t, "path") : duplicate(name);
                    case "size" -> {
                        expect(t, JsonToken.VALUE_NUMBER_INT, "size");
                        size = size == null ? p.getLongValue() : duplicate(name);
                    }
                    case "sha256" -> sha = sha == null ? text(p, t, "sha256") : duplicate(name);
                    default -> throw new IllegalArgumentException("unknown field '" + name + "' in files[" + files.size() + "]");
                }
            }
            if (path == null || size == null || sha == null) {
                throw new IllegalArgumentException("files[" + files.size() + "] needs path, size and sha256");
            }
            files.add(new File(path, size, sha));
        }
        return files;
    }

    private static <T> T duplicate(String name) {
        throw new IllegalArgumentException("manifest file field '" + name + "' given twice");
    }

    private static String text(JsonParser p, JsonToken t, String what) throws IOException {
        expect(t, JsonToken.VALUE_STRING, what);
        return p.getText();
    }

    private static void expect(JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new IllegalArgumentException("manifest '" + what + "' must be " + describe(expected) + ", found " + describe(actual));
        }
    }

    private static String describe(JsonToken t) {
        return t == null ? "the end" : switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
        };
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
