/**
 * The Java API of Diffuse4J: compose, run and sample experiments in code with the engine the
 * {@code diffuse4j} command uses. Start at {@link org.diffuse4j.runtime.lib.Diffuse4j} or
 * {@link org.diffuse4j.runtime.lib.Experiment#builder()}; docs/java-api.md walks through an example.
 */
package org.diffuse4j.runtime.lib;
