package org.diffuse4j.data;

import org.diffuse4j.api.plugin.Option;

/** Options of the toy 2-D data plugins. */
public record ToyOptions(@Option(doc = "factor applied to every sample", def = "1", min = 0) double scale) {}
