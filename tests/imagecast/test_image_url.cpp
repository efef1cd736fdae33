#include <doctest/doctest.h>

#include <variant>

#include "imagecast/image_url.hpp"

using namespace castline::imagecast;

namespace {
std::string error_of(std::string_view text) {
    const auto parsed = parse_image_url(text);
    const auto* error = std::get_if<std::string>(&parsed);
    return error ? *error : "";
}
}  // namespace

TEST_CASE("a job's image URL splits into host, port and path") {
    const auto parsed = parse_image_url("http://198.18.0.1:8080/api/v1/jobs/ab12/image/");
    REQUIRE(std::holds_alternative<ImageUrl>(parsed));
    const auto& url = std::get<ImageUrl>(parsed);
    CHECK(url.host == "198.18.0.1");
    CHECK(url.port == "8080");
    CHECK(url.path == "/api/v1/jobs/ab12/image");  // the trailing '/' dropped
    CHECK(url.to_string() == "http://198.18.0.1:8080/api/v1/jobs/ab12/image");
    CHECK(std::get<ImageUrl>(parse_image_url("http://castline.lab/base")).port == "80");
}

TEST_CASE("malformed URLs are refused, naming the part") {
    CHECK(error_of("https://h/x").find("http://") != std::string::npos);
    CHECK(error_of("ftp://h/x").find("http://") != std::string::npos);
    CHECK(error_of("http:///x").find("host: missing") != std::string::npos);
    CHECK(error_of("http://h:0/x").find("port: '0'") != std::string::npos);
    CHECK(error_of("http://h:65536/x").find("port: '65536'") != std::string::npos);
    CHECK(error_of("http://h:8o/x").find("port: '8o'") != std::string::npos);
    CHECK(error_of("http://h:/x").find("port: ''") != std::string::npos);
    CHECK(error_of("http://h").find("path: missing") != std::string::npos);
    CHECK(error_of("http://h/").find("path: missing") != std::string::npos);
    CHECK(error_of("http://h/a b").find("path: character 3") != std::string::npos);
    CHECK(error_of("http://h/a?x=1").find("path: character 3") != std::string::npos);
    CHECK(error_of("http://ho st/a").find("host:") != std::string::npos);
}
