/**
 * HTTP for the standalone server's features, outside the Engine.IO path: the one routing layer
 * ({@link io.sockeye.server.http.HttpRouter}) every feature registers its paths on
 * ({@link io.sockeye.server.http.HttpFeature}), the one way of writing a response
 * ({@link io.sockeye.server.http.HttpReply}), and the API key check ({@link io.sockeye.server.http.BearerToken}).
 */
package io.sockeye.server.http;
