package io.flinksip;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package map of docs/architecture.md, enforced: every package may use the ones listed before it and none after
 * it. The foundation (checkpoint configuration, records, tokenizer, model, reference world, dead letters, stage metrics), then the
 * weight store, the post-trained model's backends, the stages in dataflow order (segment, sequence, rollout,
 * rewrite, judge, reward, learn), and on top the job, evaluation and the command line. An import that runs back up
 * this list fails the build, naming the classes.
 */
class ArchitectureTest {
    /** Bottom to top: name and the package (with subpackages) that makes the layer. */
    static final List<String[]> LAYERS = List.of(
            new String[] {"config", "io.flinksip.config.."},
            new String[] {"records", "io.flinksip.schema.."},
            new String[] {"tokenizer", "io.flinksip.tokenizer.."},
            new String[] {"model", "io.flinksip.model.."},
            new String[] {"world", "io.flinksip.world.."},
            new String[] {"deadletter", "io.flinksip.deadletter.."},
            new String[] {"metrics", "io.flinksip.metrics.."},
            new String[] {"weights", "io.flinksip.weights.."},
            new String[] {"backend", "io.flinksip.backend.."},
            new String[] {"segment", "io.flinksip.segment.."},
            new String[] {"sequence", "io.flinksip.sync.."},
            new String[] {"rollout", "io.flinksip.rollout.."},
            new String[] {"rewrite", "io.flinksip.rewrite.."},
            new String[] {"judge", "io.flinksip.judge.."},
            new String[] {"reward", "io.flinksip.reward.."},
            new String[] {"learn", "io.flinksip.learn.."},
            new String[] {"job", "io.flinksip.job.."},
            new String[] {"eval", "io.flinksip.eval.."},
            new String[] {"cli", "io.flinksip.job.cli.."});

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        // Test code (test-classes directories and the udfs test jar) may cross layers: fixtures serve every layer.
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")).importPackages("io.flinksip");
    }

    @Test
    void everyMainPackageBelongsToALayer() {
        for (JavaClass c : classes) {
            boolean placed = LAYERS.stream().anyMatch(l -> resideInAPackage(l[1]).test(c));
            assertTrue(placed, c.getName() + " is in no layer of the package map: add its package to LAYERS and to "
                    + "docs/architecture.md");
        }
        assertTrue(classes.size() > 200, "the main classes of every module were imported, not " + classes.size());
    }

    @Test
    void noImportRunsBackUpTheDataflow() {
        Architectures.LayeredArchitecture layers = Architectures.layeredArchitecture()
                .consideringOnlyDependenciesInLayers();
        for (int i = 0; i < LAYERS.size(); i++) {
            layers = layers.layer(LAYERS.get(i)[0]).definedBy(layer(i));
        }
        for (int i = 1; i < LAYERS.size(); i++) {
            String[] below = LAYERS.subList(0, i).stream().map(l -> l[0]).toArray(String[]::new);
            layers = layers.whereLayer(LAYERS.get(i)[0]).mayOnlyAccessLayers(below);
        }
        layers = layers.whereLayer(LAYERS.get(0)[0]).mayNotAccessAnyLayer();
        layers.check(classes);
    }

    /** A layer's package, without the packages of later layers nested in it (the command line inside job). */
    private static DescribedPredicate<JavaClass> layer(int index) {
        DescribedPredicate<JavaClass> in = resideInAPackage(LAYERS.get(index)[1]);
        for (int later = index + 1; later < LAYERS.size(); later++) {
            String nested = LAYERS.get(later)[1];
            if (nested.startsWith(LAYERS.get(index)[1].replace("..", "."))) {
                in = in.and(DescribedPredicate.not(resideInAPackage(nested)));
            }
        }
        return in.as(LAYERS.get(index)[1]);
    }
}
