#include <doctest/doctest.h>

#include <string>

#include "multicast/control.hpp"

using namespace castline::multicast;

namespace {
ControlMessage round_trip(const ControlMessage& m) {
    const auto frame = encode_control(m);
    const std::uint32_t length = std::uint32_t{frame[0]} << 24 | std::uint32_t{frame[1]} << 16 |
                                 std::uint32_t{frame[2]} << 8 | frame[3];
    REQUIRE(length == frame.size() - 4);
    auto decoded = decode_control(std::span(frame).subspan(4));
    if (auto* e = std::get_if<ControlError>(&decoded)) FAIL(e->reason);
    return std::get<ControlMessage>(decoded);
}
std::string error_of(std::span<const std::uint8_t> body) {
    auto decoded = decode_control(body);
    auto* e = std::get_if<ControlError>(&decoded);
    return e ? e->reason : std::string();
}
std::vector<std::uint8_t> body_of(const ControlMessage& m) {
    auto frame = encode_control(m);
    return {frame.begin() + 4, frame.end()};
}
}  // namespace

TEST_CASE("every control message round-trips") {
    Hello h;
    h.session_name = "lab";
    h.client_nonce.fill(3);
    h.client_name = "pc-17";
    CHECK(std::get<Hello>(round_trip(h)).client_name == "pc-17");
    CHECK(std::get<Hello>(round_trip(h)).client_nonce == h.client_nonce);

    Challenge c;
    c.server_nonce.fill(1);
    c.salt.fill(2);
    c.iterations = 1000;
    CHECK(std::get<Challenge>(round_trip(c)).iterations == 1000);

    Welcome w;
    w.server_proof.fill(5);
    w.receiver_id = 9;
    w.session_id = 0xCAFEBABE;
    w.group = 0xEFC60A0A;
    w.data_port = 5000;
    w.symbol_size = 1416;
    w.started = true;
    w.pass = 4;
    w.chunk_sizes = {100, 200, 300};
    w.manifest = {1, 2, 3, 4};
    const auto w2 = std::get<Welcome>(round_trip(w));
    CHECK(w2.session_id == 0xCAFEBABE);
    CHECK(w2.chunk_sizes == w.chunk_sizes);
    CHECK(w2.manifest == w.manifest);
    CHECK(w2.started);
    CHECK(w2.pass == 4);

    Report r;
    r.pass = 3;
    r.chunks_done = 10;
    r.bytes_done = 1ull << 40;
    r.loss_ppm = 50000;
    r.whole = {{0, 5}, {9, 1}};
    r.partial = {{7, 2, 11}};
    const auto r2 = std::get<Report>(round_trip(r));
    CHECK(r2.bytes_done == 1ull << 40);
    CHECK(r2.whole == r.whole);
    CHECK(r2.partial == r.partial);
    CHECK_FALSE(r2.progress_only);

    CHECK(std::get<Refused>(round_trip(Refused{RefusalReason::bad_password, "no"})).reason ==
          RefusalReason::bad_password);
    CHECK(std::get<PassEnd>(round_trip(PassEnd{8, 1234})).symbols_sent == 1234);
    CHECK(std::get<End>(round_trip(End{true, "4 of 4"})).summary == "4 of 4");
    CHECK(std::get<ChunkData>(round_trip(ChunkData{3, {9, 9}})).bytes.size() == 2);
    CHECK(std::get<Drop>(round_trip(Drop{"late"})).reason == "late");
    CHECK(std::get<Failed>(round_trip(Failed{"disk"})).reason == "disk");
    CHECK(std::holds_alternative<Done>(round_trip(Done{})));
    CHECK(std::holds_alternative<Pause>(round_trip(Pause{})));
    CHECK(std::holds_alternative<Resume>(round_trip(Resume{})));
    CHECK(std::holds_alternative<Start>(round_trip(Start{})));
    CHECK(std::holds_alternative<Proof>(round_trip(Proof{})));
    CHECK(std::get<Leave>(round_trip(Leave{"wrong image"})).reason == "wrong image");
    const auto waiting = std::get<Waiting>(round_trip(Waiting{1, 2, true}));
    CHECK(waiting.joined == 1);
    CHECK(waiting.wanted == 2);
    CHECK(waiting.by_hand_only);
}

TEST_CASE("bad control frames name the field") {
    CHECK(error_of({}).starts_with("type:"));
    const std::vector<std::uint8_t> unknown{99};
    CHECK(error_of(unknown).starts_with("type: 99"));
    auto hello = body_of(Hello{1, "lab", {}, "pc"});
    CHECK(error_of(std::span(hello).first(5)).starts_with("hello."));
    hello.push_back(0);
    CHECK(error_of(hello).find("trailing") != std::string::npos);

    Report r;
    r.partial = {{1, 0, 5}};
    auto report = body_of(r);
    report[report.size() - 1] = 0;  // need 0
    CHECK(error_of(report).starts_with("report.partial[0].need"));
    report[report.size() - 2] = 0x04;  // need 1024, a whole block of the largest size
    report[report.size() - 1] = 0x00;
    CHECK(error_of(report).empty());
    report[report.size() - 1] = 0x01;  // 1025
    CHECK(error_of(report) == "report.partial[0].need: 1025 outside 1..1024");
    auto huge = body_of(Report{});
    // whole_count claims a million entries the frame does not hold
    huge[1 + 1 + 4 + 4 + 8 + 4 + 4] = 0x10;
    CHECK(error_of(huge).starts_with("report.whole_count"));

    Welcome w;
    w.symbol_size = 1416;
    w.chunk_sizes = {0};
    CHECK(error_of(body_of(w)).starts_with("welcome.chunk_sizes[0]"));
    w.chunk_sizes = {1};
    w.symbol_size = 3;
    CHECK(error_of(body_of(w)).starts_with("welcome.symbol_size"));

    Challenge c;
    c.iterations = 0;
    CHECK(error_of(body_of(c)).starts_with("challenge.iterations"));
    auto refused = body_of(Refused{RefusalReason::bad_password, "x"});
    refused[1] = 42;
    CHECK(error_of(refused).starts_with("refused.reason"));
    auto waiting = body_of(Waiting{});
    waiting.back() = 2;
    CHECK(error_of(waiting) == "waiting.by_hand_only: 2 is not 0 or 1");
}
