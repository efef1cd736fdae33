#include <doctest/doctest.h>

#include <sys/resource.h>

#include "common/descriptor_budget.hpp"

using castline::DescriptorBudget;

TEST_CASE("a descriptor budget lends up to its limit and takes back what leases return") {
    DescriptorBudget budget(5);
    auto a = budget.take(2);
    auto b = budget.take(2);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(budget.in_use() == 4);
    CHECK_FALSE(budget.take(2));  // 6 > 5
    auto c = budget.take(1);
    CHECK(c);
    CHECK_FALSE(budget.take(1));
    a.reset();
    CHECK(budget.in_use() == 3);
    auto moved = std::move(*b);
    b.reset();
    CHECK(budget.in_use() == 3);  // a moved lease is returned once, by its new owner
    CHECK(budget.take(2));        // the temporary returns its two at once
    CHECK(budget.in_use() == 3);
}

TEST_CASE("the descriptor limit is raised to the hard limit and a quarter stays in reserve") {
    const auto limit = castline::raise_descriptor_limit();
    rlimit now{};
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &now) == 0);
    CHECK(now.rlim_cur == now.rlim_max);
    CHECK(limit >= 1024);
    CHECK(castline::peer_descriptor_budget(1024) == 768);
    CHECK(castline::peer_descriptor_budget(65536) == 49152);
    CHECK(castline::peer_descriptor_budget(100) == 36);
    CHECK(castline::peer_descriptor_budget(50) == 0);
}
