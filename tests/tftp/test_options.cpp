#include <doctest/doctest.h>

#include "tftp/options.hpp"

using namespace castline::tftp;
using namespace std::chrono_literals;

TEST_CASE("no options: RFC 1350 defaults and no OACK") {
    const auto n = negotiate({}, {}, 100);
    CHECK(n.blksize == 512);
    CHECK(n.windowsize == 1);
    CHECK(n.acknowledged.empty());
}

TEST_CASE("EDK2's request: tsize 0, blksize 1468, windowsize 4") {
    const auto n = negotiate({{"tsize", "0"}, {"blksize", "1468"}, {"windowsize", "4"}},
                             {.max_blksize = 1468, .max_windowsize = 64}, 123456);
    CHECK(n.blksize == 1468);
    CHECK(n.windowsize == 4);
    CHECK(n.acknowledged ==
          std::vector<Option>{{"tsize", "123456"}, {"blksize", "1468"}, {"windowsize", "4"}});
}

TEST_CASE("blksize is clamped to the limit and the RFC maximum, tiny or junk values ignored") {
    CHECK(negotiate({{"blksize", "1432"}}, {.max_blksize = 1468}, 0).blksize == 1432);
    CHECK(negotiate({{"blksize", "9000"}}, {.max_blksize = 1468}, 0).blksize == 1468);
    CHECK(negotiate({{"blksize", "65535"}}, {.max_blksize = 65535}, 0).blksize == 65464);
    CHECK(negotiate({{"blksize", "8"}}, {}, 0).blksize == 8);
    for (const char* bad : {"7", "0", "-1", "12a", "", " 512", "99999999999"}) {
        const auto n = negotiate({{"blksize", bad}}, {}, 0);
        CHECK(n.blksize == 512);
        CHECK(n.acknowledged.empty());
    }
}

TEST_CASE("blksize limit from the interface MTU") {
    CHECK(blksize_for_mtu(1500) == 1468);
    CHECK(blksize_for_mtu(9000) == 8968);
    CHECK(blksize_for_mtu(65536) == 65464);
    CHECK(blksize_for_mtu(20) == 8);
}

TEST_CASE("timeout 1..255 seconds, windowsize clamped, unknown options and repeats ignored") {
    auto n =
        negotiate({{"timeout", "3"}, {"windowsize", "1000"}, {"multicast", ""}, {"timeout", "9"}},
                  {.max_windowsize = 64}, 0);
    CHECK(n.timeout == 3s);
    CHECK(n.timeout_negotiated);
    CHECK(n.windowsize == 64);
    CHECK(n.acknowledged == std::vector<Option>{{"timeout", "3"}, {"windowsize", "64"}});
    CHECK(negotiate({{"timeout", "0"}}, {}, 0).acknowledged.empty());
    CHECK(negotiate({{"timeout", "256"}}, {}, 0).acknowledged.empty());
    CHECK(negotiate({{"windowsize", "0"}}, {}, 0).acknowledged.empty());
    const auto d = negotiate({}, {.default_timeout = 700ms}, 0);
    CHECK(d.timeout == 700ms);
    CHECK_FALSE(d.timeout_negotiated);
}
