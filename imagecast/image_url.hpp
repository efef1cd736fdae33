#pragma once
// Where an image is served over plain HTTP: http://HOST[:PORT]/PATH, PATH answering the image
// frame (image_framing.hpp) and PATH/chunks/N each stored chunk (docs/jobs.md, "Unicast").
#include <string>
#include <string_view>
#include <variant>

namespace castline::imagecast {

struct ImageUrl {
    std::string host;
    std::string port = "80";
    std::string path;  // starts with '/', no trailing '/'
    std::string to_string() const { return "http://" + host + ":" + port + path; }
};

// Errors say what is wrong and where ("port: 99999 is not 1..65535").
std::variant<ImageUrl, std::string> parse_image_url(std::string_view text);

}  // namespace castline::imagecast
