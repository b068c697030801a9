package org.omamori.engine.ips;

/** Where a rule set comes from and how it becomes a compiled one (files, or rules in memory for tests). */
@FunctionalInterface
public interface RuleSetSource {

    /** Parses and compiles; throws with a message naming what failed when no set could be made at all. */
    CompiledRules compile(IpsSettings settings) throws Exception;
}
