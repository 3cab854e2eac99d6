package io.flinksip.world;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in reference world of flink-sip's embedded default: invented entities with a fact table, an unsafe
 * lexicon, and a generator of documents about them whose false statements and unsafe spans are known. With no LLM
 * server at hand, this is a world in which every judgement can be checked: the reference judges and rewriter read
 * the same table and lexicon, and the labels say what they should find.
 *
 * <pre>{@code
 * ReferenceWorld world = ReferenceWorld.generate(WorldConfig.defaults());
 * CorpusWriter.write(world, Path.of("work/corpus"));          // documents, labels, facts.tsv, world-config.json
 * ReferenceWorld same = ReferenceWorld.load(Path.of("work/corpus"));
 * }</pre>
 *
 * Instances are immutable and thread-safe.
 */
public final class ReferenceWorld {
    /** The file name of the config inside a written world directory. */
    public static final String CONFIG_FILE = "world-config.json";

    private final WorldConfig config;
    private final FactTable facts;
    private final UnsafeLexicon lexicon;
    private final DocumentGenerator documents;
    private final ClaimReader claims;

    private ReferenceWorld(WorldConfig config, FactTable facts, UnsafeLexicon lexicon) {
        this.config = config;
        this.facts = facts;
        this.lexicon = lexicon;
        this.documents = new DocumentGenerator(facts, lexicon, config);
        this.claims = new ClaimReader(facts);
    }

    /** Generates the world a config describes, with the bundled lexicon. */
    public static ReferenceWorld generate(WorldConfig config) {
        UnsafeLexicon lexicon = UnsafeLexicon.bundled();
        return new ReferenceWorld(config, FactTableGenerator.generate(config, lexicon), lexicon);
    }

    /**
     * Loads a world written by {@link CorpusWriter}: its config from {@value #CONFIG_FILE} and its fact table from
     * {@value FactTableFile#NAME}, so judges use the table as written (also if it was edited), with the bundled
     * lexicon.
     */
    public static ReferenceWorld load(Path directory) throws IOException {
        WorldConfig config = new ObjectMapper().readValue(directory.resolve(CONFIG_FILE).toFile(), WorldConfig.class);
        FactTable table = FactTableFile.read(directory.resolve(FactTableFile.NAME));
        return new ReferenceWorld(config, table, UnsafeLexicon.bundled());
    }

    public WorldConfig config() {
        return config;
    }

    /** The ground truth for factuality. */
    public FactTable facts() {
        return facts;
    }

    /** The ground truth for safety. */
    public UnsafeLexicon lexicon() {
        return lexicon;
    }

    /** The document generator (train and held-out splits, and clean text). */
    public DocumentGenerator documents() {
        return documents;
    }

    /** Reads and checks claims against {@link #facts()}. */
    public ClaimReader claims() {
        return claims;
    }

    /**
     * The texts of the first {@code count} documents of {@code split}, in order: the world's corpus as plain text, for
     * the demo, tokenizer training and tests that need documents but not their labels.
     */
    public List<String> texts(Split split, int count) {
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add(documents.generate(split, i).text());
        }
        return texts;
    }

    /** The first {@code documents} clean texts (all true, nothing unsafe); see {@link DocumentGenerator#cleanText}. */
    public List<String> cleanSample(int documents) {
        List<String> texts = new ArrayList<>(documents);
        for (int i = 0; i < documents; i++) {
            texts.add(this.documents.cleanText(i));
        }
        return texts;
    }
}
