#include <doctest/doctest.h>

#include "imager/errors.hpp"
#include "imager/image_key.hpp"
#include "imager_test_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

TEST_CASE("PBKDF2-HMAC-SHA256 matches the RFC 7914 test vector") {
    // RFC 7914 section 11: P="passwd", S="salt", c=1, dkLen=64; first 48 bytes here.
    const std::string salt = "salt";
    const auto key =
        derive_key("passwd", {reinterpret_cast<const std::uint8_t*>(salt.data()), 4}, 1);
    const std::uint8_t expected[8] = {0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f};
    CHECK(std::equal(expected, expected + 8, key.key.begin()));
}

TEST_CASE("the key check value tells passwords apart") {
    const auto salt = random_salt();
    const auto a = derive_key("correct horse", salt, 1000);
    const auto b = derive_key("correct horse", salt, 1000);
    const auto c = derive_key("correct horsf", salt, 1000);
    CHECK(a.check == b.check);
    CHECK(a.key == b.key);
    CHECK(a.check != c.check);
    CHECK(random_salt() != salt);
}

TEST_CASE("GCM seals and opens; a wrong key, index or domain fails") {
    std::array<std::uint8_t, 32> key{};
    key[5] = 5;
    ImageCipher cipher(key);
    const auto plain = random_bytes(5000, 1);
    const std::uint8_t aad[3] = {1, 2, 3};
    const auto sealed = cipher.seal(ImageCipher::Domain::chunk, 9, aad, plain);
    CHECK(sealed.size() == plain.size() + kTagSize);
    std::vector<std::uint8_t> out;
    CHECK(cipher.open(ImageCipher::Domain::chunk, 9, aad, sealed, out));
    CHECK(out == plain);
    CHECK_FALSE(cipher.open(ImageCipher::Domain::chunk, 8, aad, sealed, out));
    CHECK_FALSE(cipher.open(ImageCipher::Domain::manifest, 9, aad, sealed, out));
    key[5] = 6;
    ImageCipher other(key);
    CHECK_FALSE(other.open(ImageCipher::Domain::chunk, 9, aad, sealed, out));
}

TEST_CASE("password files: one trailing newline stripped, any characters, at most 128") {
    TempDir dir;
    const std::string tricky = "  p\xC3\xA4ss word\t\"'\\ \n";
    write_file(dir / "pw", {tricky.begin(), tricky.end()});
    CHECK(read_password_file(dir / "pw") == "  p\xC3\xA4ss word\t\"'\\ ");
    const std::string two = "abc\n\n";
    write_file(dir / "pw2", {two.begin(), two.end()});
    CHECK(read_password_file(dir / "pw2") == "abc\n");
    std::string longest;
    for (int i = 0; i < 128; ++i) longest += "\xC3\xA4";  // 128 characters, 256 bytes
    write_file(dir / "pw3", {longest.begin(), longest.end()});
    CHECK(read_password_file(dir / "pw3") == longest);
    longest += "x";
    write_file(dir / "pw4", {longest.begin(), longest.end()});
    CHECK_THROWS_WITH_AS(read_password_file(dir / "pw4"), doctest::Contains("129 characters"),
                         ImagerError);
    write_file(dir / "pw5", {'\n'});
    CHECK_THROWS_WITH_AS(read_password_file(dir / "pw5"), doctest::Contains("empty"), ImagerError);
    CHECK_THROWS_AS(read_password_file(dir / "missing"), ImagerError);
}
