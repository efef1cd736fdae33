#include <doctest/doctest.h>

#include "multicast/session_address.hpp"

using namespace castline::multicast;

TEST_CASE("castline:// addresses") {
    auto a = std::get<SessionAddress>(parse_session_address("castline://198.18.0.1/lab-a"));
    CHECK(a.server == "198.18.0.1");
    CHECK(a.resolver_port == 31527);
    CHECK(a.control_port == 0);
    CHECK(a.name == "lab-a");
    a = std::get<SessionAddress>(parse_session_address("castline://imaging.example:4000/x"));
    CHECK(a.server == "imaging.example");
    CHECK(a.resolver_port == 4000);
}

TEST_CASE("TeraByte's \\\\\\server*port*name*password form") {
    auto a = std::get<SessionAddress>(parse_session_address("\\\\\\198.18.0.1*6000*lab*pw"));
    CHECK(a.server == "198.18.0.1");
    CHECK(a.control_port == 6000);
    CHECK(a.name == "lab");
    CHECK(a.password == "pw");
    a = std::get<SessionAddress>(parse_session_address("\\\\\\srv:31600**lab*"));
    CHECK(a.resolver_port == 31600);
    CHECK(a.control_port == 0);
    CHECK_FALSE(a.password.has_value());
    a = std::get<SessionAddress>(parse_session_address("\\\\\\srv**lab"));
    CHECK(a.name == "lab");
}

TEST_CASE("bad session addresses say what is wrong") {
    auto reason = [](const char* text) {
        return std::get<AddressError>(parse_session_address(text)).reason;
    };
    CHECK(reason("http://x/y").find("castline://") != std::string::npos);
    CHECK(reason("castline://x").find("/NAME") != std::string::npos);
    CHECK(reason("castline://x/").find("empty") != std::string::npos);
    CHECK(reason("castline://x:0/a").find("resolver port") != std::string::npos);
    CHECK(reason("castline://x:99999/a").find("resolver port") != std::string::npos);
    CHECK(reason("castline://:1/a").find("server") != std::string::npos);
    CHECK(reason("castline://a b/c").find("invalid character") != std::string::npos);
    CHECK(reason("\\\\\\srv*abc*lab*pw").find("tcp port") != std::string::npos);
    CHECK(reason("\\\\\\srv*1").find("expected") != std::string::npos);
    CHECK(reason(("castline://x/" + std::string(300, 'n')).c_str()).find("255") !=
          std::string::npos);
}
