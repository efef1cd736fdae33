#include "multicast/handshake.hpp"

#include <utility>

namespace castline::multicast {

std::vector<std::uint8_t> with_length_prefix(std::span<const std::uint8_t> frame) {
    std::vector<std::uint8_t> out(4 + frame.size());
    const auto length = static_cast<std::uint32_t>(frame.size());
    for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(length >> (24 - 8 * i));
    std::copy(frame.begin(), frame.end(), out.begin() + 4);
    return out;
}

// ---- sender ----

SenderHandshake::SenderHandshake(const SessionSecret& secret, const Nonce& server_nonce)
    : secret_(secret), server_nonce_(server_nonce) {}

SenderHandshake::Step SenderHandshake::refusal(RefusalReason reason, const std::string& message,
                                               bool failed_join) {
    Step step;
    step.kind = Step::Kind::refused;
    step.frame = refuse(reason, message);
    step.error = std::string(refusal_name(reason)) + ": " + message;
    step.failed_join = failed_join;
    return step;
}

std::vector<std::uint8_t> SenderHandshake::refuse(RefusalReason reason,
                                                  const std::string& message) {
    state_ = State::done;
    return encode_control(Refused{reason, message});
}

SenderHandshake::Step SenderHandshake::on_frame(std::span<const std::uint8_t> frame) {
    if (state_ == State::proven || state_ == State::done)
        return refusal(RefusalReason::protocol_error, "frame after the handshake ended", true);
    auto decoded = decode_control(frame);
    if (const auto* e = std::get_if<ControlError>(&decoded))
        return refusal(RefusalReason::protocol_error, e->reason, true);
    const auto& m = std::get<ControlMessage>(decoded);
    if (state_ == State::hello) {
        const auto* h = std::get_if<Hello>(&m);
        if (!h)
            return refusal(RefusalReason::protocol_error,
                           std::string("unexpected ") + message_name(m) + " before the hello",
                           true);
        hello_ = *h;
        if (h->version != protocol_version)
            return refusal(RefusalReason::version_mismatch,
                           "protocol version " + std::to_string(h->version) +
                               " is not supported; this sender speaks version " +
                               std::to_string(protocol_version),
                           false);
        if (h->session_name != secret_.session_name)
            return refusal(RefusalReason::unknown_session,
                           "no session named '" + h->session_name + "' here", false);
        Challenge challenge;
        challenge.server_nonce = server_nonce_;
        challenge.salt = secret_.salt;
        challenge.iterations = secret_.iterations;
        Step step;
        step.frame = encode_control(challenge);
        transcript_ = with_length_prefix(frame);
        transcript_.insert(transcript_.end(), step.frame.begin(), step.frame.end());
        transcript_hash_ = sha256(transcript_);
        state_ = State::proof;
        return step;
    }
    const auto* p = std::get_if<Proof>(&m);
    if (!p)
        return refusal(RefusalReason::protocol_error,
                       std::string("unexpected ") + message_name(m) + " during the handshake",
                       true);
    const auto expected = client_proof(secret_.password_key, server_nonce_, hello_.client_nonce,
                                       secret_.session_name, transcript_hash_);
    if (!equal_constant_time(expected, p->proof))
        return refusal(RefusalReason::bad_password,
                       "wrong password for session '" + secret_.session_name + "'", true);
    state_ = State::proven;
    Step step;
    step.kind = Step::Kind::proven;
    return step;
}

std::vector<std::uint8_t> SenderHandshake::welcome(Welcome w, const Key& data_key) {
    w.server_proof = server_proof(secret_.password_key, server_nonce_, hello_.client_nonce,
                                  secret_.session_name, transcript_hash_);
    w.wrapped_data_key =
        wrap_data_key(secret_.password_key, data_key, server_nonce_, hello_.client_nonce);
    channel_.key(control_key(secret_.password_key, server_nonce_, hello_.client_nonce));
    state_ = State::done;
    return channel_.seal(w);
}

// ---- receiver ----

ReceiverHandshake::ReceiverHandshake(std::string session_name, std::string password,
                                     std::string client_name, const Nonce& client_nonce)
    : session_name_(std::move(session_name)),
      password_(std::move(password)),
      client_name_(std::move(client_name)),
      client_nonce_(client_nonce) {}

std::vector<std::uint8_t> ReceiverHandshake::hello() {
    auto frame =
        encode_control(Hello{protocol_version, session_name_, client_nonce_, client_name_});
    transcript_ = frame;
    state_ = State::challenge;
    return frame;
}

ReceiverHandshake::Step ReceiverHandshake::on_frame(std::span<const std::uint8_t> frame) {
    const auto fail = [this](std::string why) {
        state_ = State::done;
        return Step{Step::Kind::failed, {}, std::move(why)};
    };
    if (state_ != State::challenge && state_ != State::welcome)
        return fail("a frame arrived outside the handshake");
    auto decoded = channel_.open(frame);
    if (const auto* e = std::get_if<ControlError>(&decoded))
        return fail("bad control message from the sender: " + e->reason);
    const auto& m = std::get<ControlMessage>(decoded);
    if (const auto* r = std::get_if<Refused>(&m)) {
        state_ = State::done;
        return Step{Step::Kind::refused,
                    {},
                    std::string("refused (") + refusal_name(r->reason) + "): " + r->message};
    }
    if (state_ == State::challenge) {
        const auto* c = std::get_if<Challenge>(&m);
        if (!c) return fail(std::string("unexpected ") + message_name(m) + " before the challenge");
        // A rogue sender asking for a cheap key would get an answer it can test password
        // guesses against offline at that cost. An open session has no secret to protect.
        if (!password_.empty() && c->iterations < min_pbkdf2_iterations)
            return fail("the sender asks for " + std::to_string(c->iterations) +
                        " PBKDF2 iterations, fewer than the " +
                        std::to_string(min_pbkdf2_iterations) +
                        " a password session needs: not answering (a proof at that cost lets a "
                        "rogue sender guess the password offline)");
        server_nonce_ = c->server_nonce;
        password_key_ = derive_password_key(password_, c->salt, c->iterations);
        const auto challenge_frame = with_length_prefix(frame);
        transcript_.insert(transcript_.end(), challenge_frame.begin(), challenge_frame.end());
        transcript_hash_ = sha256(transcript_);
        Step step;
        step.frame = channel_.seal(Proof{client_proof(password_key_, server_nonce_, client_nonce_,
                                                      session_name_, transcript_hash_)});
        // The welcome and everything after it, both ways, carry tags.
        channel_.key(control_key(password_key_, server_nonce_, client_nonce_));
        state_ = State::welcome;
        return step;
    }
    const auto* w = std::get_if<Welcome>(&m);
    if (!w) return fail(std::string("unexpected ") + message_name(m) + " before the welcome");
    const auto expected =
        server_proof(password_key_, server_nonce_, client_nonce_, session_name_, transcript_hash_);
    if (!equal_constant_time(expected, w->server_proof))
        return fail("the sender could not prove it knows the session password");
    welcome_ = *w;
    data_key_ = wrap_data_key(password_key_, w->wrapped_data_key, server_nonce_, client_nonce_);
    state_ = State::joined;
    return Step{Step::Kind::joined, {}, {}};
}

}  // namespace castline::multicast
