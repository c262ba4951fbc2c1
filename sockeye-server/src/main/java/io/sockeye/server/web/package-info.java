/**
 * What browsers load from the standalone server's public port besides Socket.IO: the demo page and
 * its files ({@link io.sockeye.server.web.StaticFiles}, the router's catch-all) and which origins may
 * open connections ({@link io.sockeye.server.web.OriginPolicy}).
 */
package io.sockeye.server.web;
