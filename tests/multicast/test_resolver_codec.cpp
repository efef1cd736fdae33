#include <doctest/doctest.h>

#include "multicast/resolver_codec.hpp"

using namespace castline::multicast;

TEST_CASE("resolver query and answer round-trip") {
    const auto q = std::get<ResolverQuery>(decode_resolver(encode_resolver(ResolverQuery{"lab"})));
    CHECK(q.name == "lab");
    const auto a = std::get<ResolverAnswer>(
        decode_resolver(encode_resolver(ResolverAnswer{"lab", 6000, 0xEFC60A0A, 9000})));
    CHECK(a.control_port == 6000);
    CHECK(a.group == 0xEFC60A0A);
    CHECK(a.data_port == 9000);
}

TEST_CASE("bad resolver datagrams are errors") {
    auto reason = [](std::vector<std::uint8_t> b) {
        return std::get<ResolverError>(decode_resolver(b)).reason;
    };
    CHECK(reason({}).starts_with("magic"));
    CHECK(reason({'X', 'X', 'X', 'X', 1, 0, 1, 'a'}).starts_with("magic"));
    auto q = encode_resolver(ResolverQuery{"lab"});
    q[4] = 2;
    CHECK(reason(q).starts_with("version"));
    q = encode_resolver(ResolverQuery{"lab"});
    q.push_back(0);
    CHECK(reason(q).find("trailing") != std::string::npos);
    q = encode_resolver(ResolverQuery{"lab"});
    q.pop_back();
    CHECK(reason(q).starts_with("name"));
    CHECK(reason(encode_resolver(ResolverQuery{""})).starts_with("name: empty"));
    CHECK(reason(encode_resolver(ResolverAnswer{"lab", 0, 1, 1})).starts_with("control_port"));
}
