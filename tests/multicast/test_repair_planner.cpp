#include <doctest/doctest.h>

#include "multicast/repair_planner.hpp"

using namespace castline::multicast;

namespace {
Report everything(std::uint32_t pass, std::uint32_t chunks) {
    Report r;
    r.pass = pass;
    r.whole = {{0, chunks}};
    return r;
}
}  // namespace

TEST_CASE("the first pass sends every source symbol once") {
    RepairPlanner p({1000, 250}, 100);  // 10 and 3 symbols
    p.report(1, everything(0, 2));
    p.report(2, everything(0, 2));
    const auto plan = p.plan(1, 0.5);
    REQUIRE(plan.size() == 2);
    CHECK(plan[0] == SendItem{0, 0, 0, 10});
    CHECK(plan[1] == SendItem{1, 0, 0, 3});
    // Nothing new reported since: the next pass has nothing to send.
    CHECK(p.plan(2, 0).empty());
    CHECK_FALSE(p.anyone_waiting());
}

TEST_CASE("one repair serves the largest need and continues after the last symbol sent") {
    RepairPlanner p({1000}, 100);
    p.report(1, everything(0, 1));
    p.plan(1, 0);
    Report a, b;
    a.pass = b.pass = 1;
    a.partial = {{0, 0, 2}};
    b.partial = {{0, 0, 3}};
    p.report(1, a);
    p.report(2, b);
    CHECK(p.anyone_waiting());
    auto plan = p.plan(2, 0);
    REQUIRE(plan.size() == 1);
    CHECK(plan[0] == SendItem{0, 0, 10, 3});  // parity rows 10, 11, 12: new to both
    // With a margin, the repair is padded.
    Report c;
    c.pass = 2;
    c.partial = {{0, 0, 4}};
    p.report(1, c);
    plan = p.plan(3, 0.5);
    REQUIRE(plan.size() == 1);
    CHECK(plan[0] == SendItem{0, 0, 13, 6});
}

TEST_CASE("a small margin pads a repair only once the lap is over") {
    RepairPlanner p({1000, 1000}, 100);  // 10 symbols each, one block
    p.report(1, everything(0, 2));
    REQUIRE(p.plan(1, 0, true, 1000).size() == 1);  // chunk 1 waits for the next window
    Report r;
    r.pass = 1;
    r.whole = {{1, 1}};
    r.partial = {{0, 0, 4}};
    p.report(1, r);
    // The lap is open: 4 x 0.05 = 0.2 symbols of margin round to none.
    auto plan = p.plan(2, 0.05, true, 1000);
    REQUIRE(plan.size() == 2);
    CHECK(plan[0] == SendItem{0, 0, 10, 4});
    CHECK(plan[1] == SendItem{1, 0, 0, 10});
    r.pass = 2;
    r.whole.clear();
    p.report(1, r);
    // The lap is over: every round is waited for, so the margin rounds up to a 5th symbol.
    plan = p.plan(3, 0.05, true, 1000);
    REQUIRE(plan.size() == 1);
    CHECK(plan[0] == SendItem{0, 0, 14, 5});
}

TEST_CASE("a report older than the block's last sending is not answered twice") {
    RepairPlanner p({1000}, 100);
    p.report(1, everything(0, 1));
    p.report(2, everything(0, 1));
    p.plan(1, 0);
    Report fast;
    fast.pass = 1;
    fast.partial = {{0, 0, 2}};
    p.report(1, fast);
    CHECK(p.plan(2, 0).size() == 1);
    // Receiver 2's report for pass 1 arrives after pass 2 already served the block.
    Report slow;
    slow.pass = 1;
    slow.partial = {{0, 0, 5}};
    p.report(2, slow);
    CHECK_FALSE(p.anyone_waiting());
    CHECK(p.plan(3, 0).empty());
    slow.pass = 2;  // its next report counts
    p.report(2, slow);
    CHECK(p.plan(3, 0).size() == 1);
}

TEST_CASE("a late joiner gets whole chunks; a paused session repairs partial blocks only") {
    RepairPlanner p({1000, 1000}, 100);
    p.report(1, everything(0, 2));
    p.plan(1, 0);
    Report late;
    late.pass = 1;
    late.whole = {{0, 1}};
    late.partial = {{1, 0, 1}};
    p.report(2, late);
    const auto paused = p.plan(2, 0, false);
    REQUIRE(paused.size() == 1);
    CHECK(paused[0].chunk == 1);
    late.pass = 2;
    p.report(2, late);
    const auto resumed = p.plan(3, 0, true);
    REQUIRE(resumed.size() == 2);
    CHECK(resumed[0] == SendItem{0, 0, 10, 10});
}

TEST_CASE("removed receivers and progress reports do not create work; needs are capped at k") {
    RepairPlanner p({1000}, 100);
    Report progress = everything(0, 1);
    progress.progress_only = true;
    p.report(1, progress);
    CHECK(p.plan(1, 0).empty());
    p.report(2, everything(0, 1));
    p.remove(2);
    CHECK(p.plan(1, 0).empty());
    Report big;
    big.partial = {{0, 0, 128}, {5, 0, 3}, {0, 9, 3}};  // need above k; unknown chunk and block
    p.report(3, big);
    const auto plan = p.plan(1, 0);
    REQUIRE(plan.size() == 1);
    CHECK(plan[0].count == 10);
}

TEST_CASE("a window limit sends new chunks a few at a time, with repairs of earlier ones first") {
    RepairPlanner p({1000, 1000, 1000, 1000}, 100);  // 10 symbols each, one block
    p.report(1, everything(0, 4));
    // 1500 bytes of new chunks per plan: the chunk that crosses the limit is the last one.
    auto plan = p.plan(1, 0, true, 1500);
    REQUIRE(plan.size() == 2);
    CHECK(plan[0].chunk == 0);
    CHECK(plan[1].chunk == 1);
    CHECK(p.unsent_left());
    // The receiver lost 2 symbols of chunk 0 in pass 1; the next window leads with the repair.
    Report r;
    r.pass = 1;
    r.partial = {{0, 0, 2}};
    r.whole = {{1, 3}};  // chunk 1 lost entirely, 2 and 3 not sent yet
    p.report(1, r);
    plan = p.plan(2, 0, true, 1500);
    REQUIRE(plan.size() == 3);
    CHECK(plan[0] == SendItem{0, 0, 10, 2});  // parity, after the 10 source symbols
    CHECK(plan[1].chunk == 2);                // chunk 1, lost whole, waits for the next lap
    CHECK(plan[2].chunk == 3);
    CHECK_FALSE(p.unsent_left());
    r.pass = 2;
    r.partial = {};
    r.whole = {{1, 1}};
    p.report(1, r);
    plan = p.plan(3, 0, true, 1500);
    REQUIRE(plan.size() == 1);
    CHECK(plan[0] == SendItem{1, 0, 10, 10});  // a whole resend is parity too: all new symbols
    // Without a limit everything needed goes at once.
    RepairPlanner q({1000, 1000, 1000}, 100);
    q.report(1, everything(0, 3));
    CHECK(q.plan(1, 0).size() == 3);
    CHECK_FALSE(q.unsent_left());
}

TEST_CASE("a receiver losing most symbols waits for its repairs until the first lap is over") {
    RepairPlanner p({1000, 1000, 1000}, 100);  // 10 symbols each, one block
    p.report(1, everything(0, 3));
    p.report(2, everything(0, 3));
    auto plan = p.plan(1, 0, true, 1000);  // one new chunk per plan
    REQUIRE(plan.size() == 1);
    // Receiver 1 lost 1 of 10 symbols (10 %), receiver 2 on a slow link lost 8 (80 %).
    Report normal, slow;
    normal.pass = slow.pass = 1;
    normal.loss_ppm = 100'000;
    slow.loss_ppm = 800'000;
    normal.partial = {{0, 0, 1}};
    slow.partial = {{0, 0, 8}};
    normal.whole = slow.whole = {{1, 2}};
    p.report(1, normal);
    p.report(2, slow);
    plan = p.plan(2, 0, true, 1000);
    REQUIRE(plan.size() == 2);
    CHECK(plan[0] == SendItem{0, 0, 10, 1});  // the normal receiver's need, not the slow one's
    CHECK(plan[1].chunk == 1);
    normal.pass = slow.pass = 2;
    normal.partial = {};
    slow.partial = {{0, 0, 7}, {1, 0, 8}};
    normal.whole = slow.whole = {{2, 1}};
    p.report(1, normal);
    p.report(2, slow);
    plan = p.plan(3, 0, true, 1000);
    REQUIRE(plan.size() == 1);  // the last new chunk; the lap is over after it
    CHECK(plan[0].chunk == 2);
    slow.pass = 3;
    slow.partial = {{0, 0, 7}, {1, 0, 8}, {2, 0, 8}};
    slow.whole = {};
    p.report(2, slow);
    plan = p.plan(4, 0, true, 1000);
    REQUIRE(plan.size() == 3);
    CHECK(plan[0] == SendItem{0, 0, 11, 7});
    CHECK(plan[1] == SendItem{1, 0, 10, 8});
    CHECK(plan[2] == SendItem{2, 0, 10, 8});
}

TEST_CASE("when every receiver loses most symbols, nobody's repairs wait") {
    RepairPlanner p({1000, 1000}, 100);
    p.report(1, everything(0, 2));
    p.plan(1, 0, true, 1000);
    Report slow;
    slow.pass = 1;
    slow.loss_ppm = 800'000;
    slow.partial = {{0, 0, 8}};
    slow.whole = {{1, 1}};
    p.report(1, slow);
    const auto plan = p.plan(2, 0, true, 1000);
    REQUIRE(plan.size() == 2);
    CHECK(plan[0] == SendItem{0, 0, 10, 8});
}

TEST_CASE("chunks no receiver needs do not hold a slow receiver's repairs back") {
    RepairPlanner p({1000, 1000}, 100);
    Report resumed;  // chunk 0 is already on this receiver's disk
    resumed.whole = {{1, 1}};
    p.report(1, resumed);
    p.report(2, resumed);
    REQUIRE(p.plan(1, 0).size() == 1);
    Report slow, normal;
    slow.pass = normal.pass = 1;
    slow.loss_ppm = 800'000;
    slow.partial = {{1, 0, 8}};
    p.report(1, slow);
    p.report(2, normal);
    const auto plan = p.plan(2, 0);
    REQUIRE(plan.size() == 1);
    CHECK(plan[0] == SendItem{1, 0, 10, 8});
}
