#include "multicast/handshake.hpp"

#include <doctest/doctest.h>

#include <string>

#include "multicast/control_channel.hpp"
#include "multicast/join_limiter.hpp"

using namespace castline::multicast;
using namespace std::chrono_literals;

namespace {

std::span<const std::uint8_t> after_prefix(const std::vector<std::uint8_t>& frame) {
    return std::span(frame).subspan(4);
}

SessionSecret secret_for(const std::string& password, std::uint32_t iterations,
                         std::uint8_t salt = 7) {
    SessionSecret s;
    s.session_name = "lab";
    s.salt.fill(salt);
    s.iterations = iterations;
    s.password_key = derive_password_key(password, s.salt, iterations);
    return s;
}

Nonce nonce(std::uint8_t v) {
    Nonce n;
    n.fill(v);
    return n;
}

Welcome session_welcome() {
    Welcome w;
    w.receiver_id = 1;
    w.session_id = 0xC0FFEE;
    w.group = 0xEFC60A0A;
    w.data_port = 5000;
    w.symbol_size = 1440;
    w.chunk_sizes = {100, 200};
    w.manifest = {1, 2, 3};
    return w;
}

// Runs both handshakes against each other up to the receiver's answer to the welcome frame,
// which `tamper` may change on the way.
struct Pair {
    SessionSecret secret;
    SenderHandshake sender;
    ReceiverHandshake receiver;
    Key data_key{};
    Pair(const std::string& password, std::uint32_t iterations, std::uint8_t n = 1)
        : secret(secret_for(password, iterations)),
          sender(secret, nonce(n)),
          receiver("lab", password, "pc", nonce(static_cast<std::uint8_t>(n + 100))) {
        data_key.fill(0x42);
    }
    // Hello and challenge; returns the receiver's proof frame.
    std::vector<std::uint8_t> to_proof() {
        const auto challenge = sender.on_frame(after_prefix(receiver.hello()));
        REQUIRE(challenge.kind == SenderHandshake::Step::Kind::reply);
        const auto proof = receiver.on_frame(after_prefix(challenge.frame));
        REQUIRE(proof.kind == ReceiverHandshake::Step::Kind::reply);
        return proof.frame;
    }
    std::vector<std::uint8_t> to_welcome() {
        const auto proven = sender.on_frame(after_prefix(to_proof()));
        REQUIRE(proven.kind == SenderHandshake::Step::Kind::proven);
        return sender.welcome(session_welcome(), data_key);
    }
};

}  // namespace

TEST_CASE("both handshakes agree: the receiver joins with the data key, frames then authenticate") {
    Pair p("s3cret", min_pbkdf2_iterations);
    const auto step = p.receiver.on_frame(after_prefix(p.to_welcome()));
    REQUIRE(step.kind == ReceiverHandshake::Step::Kind::joined);
    CHECK(p.receiver.data_key() == p.data_key);
    CHECK(p.receiver.welcome().chunk_sizes == session_welcome().chunk_sizes);
    // Both ways, later frames pass.
    auto report = p.receiver.channel().seal(Report{});
    CHECK(std::holds_alternative<ControlMessage>(p.sender.channel().open(after_prefix(report))));
    auto start = p.sender.channel().seal(Start{});
    CHECK(std::holds_alternative<ControlMessage>(p.receiver.channel().open(after_prefix(start))));
}

TEST_CASE("a welcome with one flipped byte is refused naming its tag") {
    Pair p("s3cret", min_pbkdf2_iterations);
    auto welcome = p.to_welcome();
    // A chunk size: what an attacker on the path would change to corrupt an unencrypted image.
    welcome[welcome.size() - 16 - 3 - 4 - 1] ^= 0x01;
    const auto step = p.receiver.on_frame(after_prefix(welcome));
    CHECK(step.kind == ReceiverHandshake::Step::Kind::failed);
    CHECK(step.error ==
          "bad control message from the sender: tag: frame 0 (type 3) does not authenticate: "
          "altered, replayed or from another connection or session");
}

TEST_CASE("a welcome replaced by another session's is refused") {
    Pair p("s3cret", min_pbkdf2_iterations, 1);
    Pair other("s3cret", min_pbkdf2_iterations, 2);  // same password, other nonces
    p.to_welcome();
    const auto foreign = other.to_welcome();
    const auto step = p.receiver.on_frame(after_prefix(foreign));
    CHECK(step.kind == ReceiverHandshake::Step::Kind::failed);
    CHECK(step.error.find("tag: frame 0 (type 3) does not authenticate") != std::string::npos);
    // An unauthenticated welcome (what a version-2 sender, or an attacker without the key,
    // sends) is refused the same way.
    Pair bare("s3cret", min_pbkdf2_iterations, 3);
    const auto proven = bare.sender.on_frame(after_prefix(bare.to_proof()));
    REQUIRE(proven.kind == SenderHandshake::Step::Kind::proven);
    const auto untagged = encode_control(session_welcome());
    CHECK(bare.receiver.on_frame(after_prefix(untagged)).kind ==
          ReceiverHandshake::Step::Kind::failed);
}

TEST_CASE("a frame replayed from another session, or twice, or reflected, is refused") {
    Pair a("s3cret", min_pbkdf2_iterations, 1);
    Pair b("s3cret", min_pbkdf2_iterations, 2);
    REQUIRE(a.receiver.on_frame(after_prefix(a.to_welcome())).kind ==
            ReceiverHandshake::Step::Kind::joined);
    REQUIRE(b.receiver.on_frame(after_prefix(b.to_welcome())).kind ==
            ReceiverHandshake::Step::Kind::joined);
    // A chunk sent over b's connection, replayed into a's.
    const auto chunk = b.sender.channel().seal(ChunkData{0, {9, 9, 9}});
    auto replayed = a.receiver.channel().open(after_prefix(chunk));
    REQUIRE(std::holds_alternative<ControlError>(replayed));
    CHECK(std::get<ControlError>(replayed).reason.starts_with("tag: frame 1 (type 15)"));
    // The same frame twice on its own connection: the second is out of sequence.
    const auto end = a.sender.channel().seal(End{true, "done"});
    CHECK(std::holds_alternative<ControlMessage>(a.receiver.channel().open(after_prefix(end))));
    CHECK(std::holds_alternative<ControlError>(a.receiver.channel().open(after_prefix(end))));
    // A receiver's own report sent back to it.
    const auto report = a.receiver.channel().seal(Report{});
    CHECK(std::holds_alternative<ControlError>(a.receiver.channel().open(after_prefix(report))));
    // A bare refusal is no longer taken once frames have authenticated.
    const auto refusal = encode_control(Refused{RefusalReason::protocol_error, "go away"});
    CHECK(std::holds_alternative<ControlError>(a.receiver.channel().open(after_prefix(refusal))));
}

TEST_CASE("a wrong password is refused by the sender and counts as a failed join") {
    SessionSecret secret = secret_for("right", min_pbkdf2_iterations);
    SenderHandshake sender(secret, nonce(1));
    ReceiverHandshake receiver("lab", "wrong", "pc", nonce(2));
    const auto challenge = sender.on_frame(after_prefix(receiver.hello()));
    const auto proof = receiver.on_frame(after_prefix(challenge.frame));
    const auto refused = sender.on_frame(after_prefix(proof.frame));
    CHECK(refused.kind == SenderHandshake::Step::Kind::refused);
    CHECK(refused.failed_join);
    // The refusal is bare (the two share no key) and the receiver takes it.
    const auto step = receiver.on_frame(after_prefix(refused.frame));
    CHECK(step.kind == ReceiverHandshake::Step::Kind::refused);
    CHECK(step.error == "refused (bad_password): wrong password for session 'lab'");
}

TEST_CASE("an altered challenge or hello breaks the proof") {
    SessionSecret secret = secret_for("right", min_pbkdf2_iterations);
    SenderHandshake sender(secret, nonce(1));
    ReceiverHandshake receiver("lab", "right", "pc", nonce(2));
    auto hello = receiver.hello();
    hello.back() ^= 0x20;  // the client name, changed on the way
    const auto challenge = sender.on_frame(after_prefix(hello));
    const auto proof = receiver.on_frame(after_prefix(challenge.frame));
    CHECK(sender.on_frame(after_prefix(proof.frame)).kind == SenderHandshake::Step::Kind::refused);
}

TEST_CASE("a receiver with a password refuses a challenge below the minimum iteration count") {
    for (const std::uint32_t iterations : {1u, min_pbkdf2_iterations - 1}) {
        SessionSecret secret = secret_for("s3cret", iterations);
        SenderHandshake rogue(secret, nonce(1));
        ReceiverHandshake receiver("lab", "s3cret", "pc", nonce(2));
        const auto challenge = rogue.on_frame(after_prefix(receiver.hello()));
        const auto step = receiver.on_frame(after_prefix(challenge.frame));
        CHECK(step.kind == ReceiverHandshake::Step::Kind::failed);
        CHECK(step.frame.empty());  // no proof leaves
        CHECK(step.error == "the sender asks for " + std::to_string(iterations) +
                                " PBKDF2 iterations, fewer than the 10000 a password session "
                                "needs: not answering (a proof at that cost lets a rogue sender "
                                "guess the password offline)");
    }
    // At the minimum it answers; an open session (no secret) takes any count.
    Pair at_minimum("s3cret", min_pbkdf2_iterations);
    at_minimum.to_proof();
    Pair open("", 1);
    open.to_proof();
}

TEST_CASE("an old receiver is refused with the version it needs") {
    SessionSecret secret = secret_for("", 1);
    SenderHandshake sender(secret, nonce(1));
    const auto step = sender.on_frame(after_prefix(encode_control(Hello{2, "lab", {}, "old"})));
    CHECK(step.kind == SenderHandshake::Step::Kind::refused);
    CHECK_FALSE(step.failed_join);
    CHECK(step.error ==
          "version_mismatch: protocol version 2 is not supported; this sender speaks version 3");
}

TEST_CASE("failed joins from one address are limited; another address still joins") {
    JoinLimiter limiter({.max_failures = 5, .window = 60s});
    const auto t0 = JoinLimiter::Clock::time_point{} + 1h;
    const std::uint32_t attacker = 0xC6120063, neighbour = 0xC612000B;
    for (int i = 0; i < 4; ++i) limiter.failed(attacker, t0 + std::chrono::seconds(i));
    CHECK(limiter.blocked_for(attacker, t0 + 4s) == JoinLimiter::Clock::duration::zero());
    limiter.failed(attacker, t0 + 4s);
    CHECK(limiter.blocked_for(attacker, t0 + 5s) == 55s);
    CHECK(limiter.blocked_for(neighbour, t0 + 5s) == JoinLimiter::Clock::duration::zero());
    // The oldest failure ages out after the window: one more try is allowed.
    CHECK(limiter.blocked_for(attacker, t0 + 60s) == JoinLimiter::Clock::duration::zero());
    limiter.failed(attacker, t0 + 60s);
    CHECK(limiter.blocked_for(attacker, t0 + 60s) == 1s);
    CHECK(limiter.blocked_for(attacker, t0 + 200s) == JoinLimiter::Clock::duration::zero());
    CHECK(limiter.addresses() == 0);  // forgotten once aged out; the neighbour never failed
}

TEST_CASE("the join limiter remembers a bounded number of addresses") {
    JoinLimiter limiter({.max_failures = 2, .window = 60s, .max_addresses = 3});
    const auto t0 = JoinLimiter::Clock::time_point{} + 1h;
    for (std::uint32_t a = 1; a <= 10; ++a) limiter.failed(a, t0 + std::chrono::seconds(a));
    CHECK(limiter.addresses() == 3);
}
