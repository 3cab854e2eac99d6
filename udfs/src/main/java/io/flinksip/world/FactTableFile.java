package io.flinksip.world;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes a fact table as {@code facts.tsv}: a header line {@code entity<TAB>relation<TAB>value}, then one
 * fact per line in table order, UTF-8, {@code \n} line ends. Tab-separated because names contain spaces but never
 * tabs, and because the file should be readable with {@code grep} and a spreadsheet alike.
 */
public final class FactTableFile {
    /** The file name used inside a written world directory. */
    public static final String NAME = "facts.tsv";
    private static final String HEADER = "entity\trelation\tvalue";

    private FactTableFile() {
    }

    public static void write(FactTable table, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            for (Fact fact : table.facts()) {
                out.write(fact.entity() + '\t' + fact.relation().id() + '\t' + fact.value());
                out.write('\n');
            }
        }
    }

    /**
     * Reads a table written by {@link #write}.
     *
     * @throws IOException if the file cannot be read or a line is not {@code entity<TAB>relation<TAB>value} with a
     *     known relation (the message names the line)
     */
    public static FactTable read(Path file) throws IOException {
        List<Fact> facts = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (!HEADER.equals(header)) {
                throw new IOException(file + ": expected header '" + HEADER.replace("\t", "<TAB>") + "'");
            }
            int lineNumber = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isEmpty()) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                if (fields.length != 3) {
                    throw new IOException(file + ":" + lineNumber + ": expected 3 tab-separated fields");
                }
                try {
                    facts.add(new Fact(fields[0], Relation.fromId(fields[1]), fields[2]));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ":" + lineNumber + ": unknown relation '" + fields[1] + "'", e);
                }
            }
        }
        try {
            return FactTable.of(facts);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
