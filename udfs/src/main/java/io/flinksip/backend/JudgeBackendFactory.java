package io.flinksip.backend;

import java.io.Serializable;

/**
 * Builds the judges and rewriter inside a task (in {@code open()}): the factory travels in the job graph, the clients
 * and models it creates do not. Implementations hold configuration only, never secrets.
 */
@FunctionalInterface
public interface JudgeBackendFactory extends Serializable {
    JudgeBackends create();
}
