/**
 * Fuzzing support: {@link io.sockeye.testkit.fuzz.FuzzMain} runs one Jazzer {@code @FuzzTest} (what
 * {@code bin/fuzz} starts per target), {@link io.sockeye.testkit.fuzz.FuzzContract} checks what every
 * target promises beyond its own decoder's contract.
 */
package io.sockeye.testkit.fuzz;
