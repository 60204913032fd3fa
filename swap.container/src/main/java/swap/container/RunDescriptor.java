package swap.container;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.osgi.framework.VersionRange;

/**
 * The resolved run descriptor: the {@code -runbundles} of the bndrun file that the bnd resolver
 * wrote for {@code cnf/container.bndrun}, each with its start level.
 *
 * <p>bnd files are Java properties files whose values use the OSGi header syntax
 * ({@code clause, clause}, each {@code name;attr=value;attr='quoted, value'}). Only that
 * subset is read here: the launcher must not pull bndlib (3 MB) onto the container's class path
 * to read one header that bnd itself wrote.
 */
public final class RunDescriptor {

    /** One bundle to run: symbolic name, version range and start level. */
    public record RunBundle(String symbolicName, VersionRange versions, int startLevel) {
        public RunBundle {
            if (startLevel < 1) {
                throw new IllegalArgumentException(symbolicName + ": start level must be >= 1, was " + startLevel);
            }
        }
    }

    /** The start level of a bundle whose clause names none; the bndrun's decoration gives every bundle one. */
    public static final int DEFAULT_START_LEVEL = 10;

    private final List<RunBundle> bundles;

    private RunDescriptor(List<RunBundle> bundles) {
        this.bundles = List.copyOf(bundles);
    }

    /** The bundles in the order the descriptor lists them. */
    public List<RunBundle> bundles() {
        return bundles;
    }

    /** The highest start level of any bundle (the framework's beginning start level). */
    public int maxStartLevel() {
        return bundles.stream().mapToInt(RunBundle::startLevel).max().orElse(1);
    }

    /** Reads {@code -runbundles} from a resolved bndrun file. */
    public static RunDescriptor read(Path bndrun) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(bndrun, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        String header = properties.getProperty("-runbundles");
        if (header == null || header.isBlank()) {
            throw new IOException(bndrun + ": no -runbundles (was the descriptor resolved?)");
        }
        try {
            return parse(header);
        } catch (IllegalArgumentException e) {
            throw new IOException(bndrun + ": " + e.getMessage(), e);
        }
    }

    /** Parses the value of a {@code -runbundles} header. */
    public static RunDescriptor parse(String header) {
        List<RunBundle> bundles = new ArrayList<>();
        for (String clause : split(header, ',')) {
            if (clause.isBlank()) {
                continue;
            }
            List<String> parts = split(clause, ';');
            String bsn = parts.get(0).trim();
            Map<String, String> attributes = new LinkedHashMap<>();
            for (String attribute : parts.subList(1, parts.size())) {
                int eq = attribute.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("malformed attribute '" + attribute.trim() + "' of " + bsn);
                }
                attributes.put(attribute.substring(0, eq).trim(), unquote(attribute.substring(eq + 1).trim()));
            }
            String version = attributes.getOrDefault("version", "0.0.0");
            String level = attributes.get("startlevel");
            try {
                bundles.add(new RunBundle(bsn, new VersionRange(version),
                        level == null ? DEFAULT_START_LEVEL : Integer.parseInt(level)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed startlevel '" + level + "' of " + bsn, e);
            }
        }
        if (bundles.isEmpty()) {
            throw new IllegalArgumentException("-runbundles lists no bundle");
        }
        return new RunDescriptor(bundles);
    }

    /** Splits on a separator outside single or double quotes. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == separator) {
                parts.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unbalanced quote in '" + text.trim() + "'");
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unquote(String value) {
        if (value.length() >= 2) {
            char first = value.charAt(0);
            if ((first == '\'' || first == '"') && value.charAt(value.length() - 1) == first) {
                return value.substring(1, value.length() - 1);
            }
        }
        return value;
    }
}
