package org.diffuse4j.api.plugin;

/** The options record of a plugin that has no options. */
public record NoOptions() {}
