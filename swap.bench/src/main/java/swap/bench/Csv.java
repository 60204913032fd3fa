package swap.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmarks' raw-result tables: RFC 4180 CSV, a header line, one line per row. A field that
 * holds a comma, a quote or a line break is quoted (labels such as "open loop, 50,000 calls/s"
 * and error messages do); every other field is written as it is.
 */
final class Csv {

    private Csv() {
    }

    /** One line: the fields, quoted where they must be. */
    static String line(Object... fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            String f = String.valueOf(fields[i]);
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                b.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                b.append(f);
            }
        }
        return b.toString();
    }

    /** The rows of {@code file}, each a map from the header's names to the row's fields, in file order. */
    static List<Map<String, String>> read(Path file) throws IOException {
        List<List<String>> lines = parse(Files.readString(file));
        if (lines.isEmpty()) {
            throw new IOException(file + " has no header line");
        }
        List<String> header = lines.get(0);
        List<Map<String, String>> rows = new ArrayList<>();
        for (List<String> fields : lines.subList(1, lines.size())) {
            if (fields.size() != header.size()) {
                throw new IOException(file + ": a row has " + fields.size() + " fields, the header " + header.size() + ": " + fields);
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), fields.get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    /** Splits {@code text} into lines of fields; quoted fields may hold commas, quotes ("") and line breaks. */
    static List<List<String>> parse(String text) {
        List<List<String>> lines = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false; // whether the current line has begun
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (any || field.length() > 0) {
                    fields.add(field.toString());
                    lines.add(fields);
                    fields = new ArrayList<>();
                    field.setLength(0);
                    any = false;
                }
            } else {
                field.append(c);
                any = true;
            }
        }
        if (any || field.length() > 0) {
            fields.add(field.toString());
            lines.add(fields);
        }
        return lines;
    }
}
