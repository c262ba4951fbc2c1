package io.sockeye.server.api;

import io.sockeye.server.rooms.ErrorCode;
import io.sockeye.server.rooms.Replies;

import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP API answer: status, JSON body and extra headers. Immutable. */
record ApiResponse(int status, Map<String, Object> body, Map<String, String> headers) {

    ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ApiResponse ok(Map<String, Object> body) {
        return new ApiResponse(200, body, Map.of());
    }

    static ApiResponse error(ErrorCode code, String message) {
        return new ApiResponse(code.httpStatus(), Replies.error(code, message), Map.of());
    }

    static ApiResponse error(io.sockeye.server.rooms.RoomsException e) {
        return new ApiResponse(e.code().httpStatus(), Replies.error(e), Map.of());
    }

    ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, body, h);
    }

    boolean ok() {
        return status < 400;
    }
}
