package io.flinksip.job;

import io.flinksip.job.config.SipOptions;
import io.flinksip.job.support.CoinFlipJudges;
import io.flinksip.job.support.InjectedFailures;
import io.flinksip.job.support.JobOutputs;
import io.flinksip.job.support.TestClusters;
import io.flinksip.job.support.TestCorpus;
import io.flinksip.schema.TrainingExample;
import io.flinksip.sync.SyncMode;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.testutils.junit.SharedObjectsExtension;
import org.apache.flink.testutils.junit.SharedReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strict mode with a judge that is not deterministic, through failures: the replays reuse the answers the failed
 * attempts got (they are in the verdict log), so no candidate set is judged twice and no suffix rewritten twice,
 * and every sample is still trained or dead-lettered.
 */
class VerdictLogITCase {
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.oneTaskManager(METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension
    final SharedObjectsExtension shared = SharedObjectsExtension.create();

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void replaysReuseTheJudgesAnswersInsteadOfAskingAgain(@TempDir Path dir) throws Exception {
        TestCorpus corpus = TestCorpus.create(dir.resolve("corpus"), 60, List.of());
        Configuration conf = ExactlyOnceTrainingITCase.failureTolerantJob(dir, SyncMode.STRICT);
        conf.set(SipOptions.ROLLOUTS, 2);
        SharedReference<CoinFlipJudges.Calls> calls = shared.add(new CoinFlipJudges.Calls());
        SharedReference<InjectedFailures.Plan> failures = shared.add(new InjectedFailures.Plan(6, 40));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        SipJob.build(env, SipJob.Settings.builder(conf).inputPath(corpus.input.toString())
                .tokenizerJson(corpus.tokenizerJson).backends(new CoinFlipJudges(calls))
                .weightsDir(dir.resolve("weights").toString()).outputDir(dir.resolve("out").toString()).build(),
                examples -> examples.map(new InjectedFailures<TrainingExample>(failures))
                        .returns(TypeInformation.of(TrainingExample.class)).uid("injected-failures"));
        JobID job = env.execute("verdict log").getJobID();

        assertTrue(failures.get().crashed.get() && failures.get().failedInCheckpoint.get(), "both failures happened");
        long reused = sum(job, "verdictsReused") + sum(job, "rewritesReused");
        assertTrue(reused > 0, "the restarted attempts found answers of the failed ones in the log");
        for (Map.Entry<String, AtomicInteger> c : calls.get().rewrite.entrySet()) {
            assertEquals(1, c.getValue().get(), "a suffix rewritten more than once: " + c.getKey());
        }
        for (Map.Entry<String, AtomicInteger> c : calls.get().judge.entrySet()) {
            // One factuality call per candidate: the suffix, the rewrite and two rollouts.
            assertEquals(4, c.getValue().get(), "a candidate set judged more than once: " + c.getKey());
        }
        JobOutputs out = JobOutputs.of(dir);
        Set<String> accounted = new HashSet<>(out.trainedSamples());
        accounted.addAll(out.deadLetteredSamples());
        assertEquals(60, accounted.size(), "every sample trained or dead-lettered");
        assertEquals(60, calls.get().rewrite.size(), "each sample's suffix rewritten once");
    }

    /** The metric summed over every subtask of every attempt of the job (the reporter retains closed ones). */
    @SuppressWarnings("unchecked")
    private static long sum(JobID job, String metric) {
        long total = 0;
        for (var group : METRICS.getMetricsByGroup().entrySet()) {
            Metric m = group.getValue().get(metric);
            if (m instanceof Gauge<?> g && group.getKey().getAllVariables().containsValue(job.toString())) {
                total += ((Gauge<Long>) g).getValue();
            }
        }
        return total;
    }
}
