package org.omamori.inspection;

import java.util.List;

import org.omamori.api.engine.Header;
import org.omamori.http.BodyDecoder;
import org.omamori.http.BodyException;
import org.omamori.http.Limits;

/** Makes the decoder of one body from its headers; the pipeline's one, or a test's that counts. */
@FunctionalInterface
interface BodyDecoders {

    /** The project's strict, bounded decoder ({@code org.omamori.http}, decision 0008). */
    BodyDecoders STANDARD = headers -> BodyDecoder.forHeaders(headers, Limits.DEFAULTS);

    BodyDecoder open(List<Header> headers) throws BodyException;
}
