#pragma once
// The castline command line's side of the operator API: one HTTP/1.1 request to castlined.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace castline::cli {

struct ApiError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct ApiResponse {
    int status = 0;
    std::string body;
};

struct ApiEndpoint {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8081;
    std::string
        origin;  // where the address came from, for errors: "--api", "server.api_port of ..."
    // "HOST:PORT" or "PORT"; throws ApiError when malformed.
    static ApiEndpoint parse(const std::string& text);
};

// Throws ApiError naming the endpoint when castlined cannot be reached.
ApiResponse api_request(const ApiEndpoint& endpoint, const std::string& method,
                        const std::string& target);

}  // namespace castline::cli
