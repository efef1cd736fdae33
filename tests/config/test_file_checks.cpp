// Files a config names: what must exist now (errors) and what may come later (warnings).
#include <doctest/doctest.h>

#include "config_test_support.hpp"

using namespace castline::config;
using namespace castline::config::testing;

TEST_CASE("a missing image file is a warning: images are captured after the config is written") {
    TempDir dir;
    const auto result = load_file(
        dir.write("site.yaml", base_config + "images:\n  base:\n    path: images/base.cimg\n"));
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    REQUIRE(other_warnings(result).size() == 1);
    CHECK(other_warnings(result)[0].location.line == 7);
    CHECK(other_warnings(result)[0].location.column == 11);
    CHECK(other_warnings(result)[0].key_path == "images.base.path");
    dir.write("images/base.cimg", "x");
    CHECK(other_warnings(load_file(dir.path() / "site.yaml")).empty());
}

TEST_CASE("an image path that is a folder is an error") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "images");
    const auto result =
        load_file(dir.write("site.yaml", base_config + "images:\n  base:\n    path: images\n"));
    require_single_error(result, (dir.path() / "site.yaml").string(), 7, 11, "images.base.path",
                         "is not a regular file, expected an image file");
}

TEST_CASE("a missing password file is an error") {
    TempDir dir;
    dir.write("base.cimg", "x");
    const auto result = load_file(dir.write(
        "site.yaml",
        base_config + "images:\n  base:\n    path: base.cimg\n    password_file: /x/secret\n"));
    require_single_error(result, (dir.path() / "site.yaml").string(), 8, 20,
                         "images.base.password_file", "\"/x/secret\" does not exist");
}

TEST_CASE("a missing post-config file drop source is an error") {
    TempDir dir;
    const auto result = load_file(dir.write(
        "site.yaml", base_config + "postconfig:\n  p:\n    files:\n      - source: files/a.cmd\n"
                                   "        target: Windows/a.cmd\n"));
    require_single_error(result, (dir.path() / "site.yaml").string(), 8, 9,
                         "postconfig.p.files[0].source",
                         "does not exist, expected the file to copy");
    dir.write("files/a.cmd", "echo\n");
    CHECK(load_file(dir.path() / "site.yaml").ok());
}

TEST_CASE("a missing per-MAC sysprep update file is an error") {
    TempDir dir;
    const auto result = load_file(
        dir.write("site.yaml", base_config + "postconfig:\n  p:\n    sysprep_update: upd.txt\n"));
    require_single_error(result, (dir.path() / "site.yaml").string(), 7, 21,
                         "postconfig.p.sysprep_update",
                         (dir.path() / "upd.txt").string() + "\" does not exist");
    dir.write("upd.txt", "[00-0A-48-00-DD-1A.SysprepInf.UserData]\r\nComputerName=WS01\r\n");
    CHECK(load_file(dir.path() / "site.yaml").ok());
}

TEST_CASE("a missing boot root is a warning") {
    TempDir dir;
    const auto result = load_file(dir.write(
        "site.yaml", "version: 1\nserver: {interfaces: [lab0]}\nboot:\n  root: ./tree\n"));
    REQUIRE(result.ok());
    REQUIRE(other_warnings(result).size() == 1);
    CHECK(other_warnings(result)[0].key_path == "boot.root");
    CHECK(other_warnings(result)[0].location.line == 4);
    CHECK(other_warnings(result)[0].to_string().find(": warning: boot.root: ") !=
          std::string::npos);
}

TEST_CASE("a missing image that a host or group images from is an error, naming who") {
    TempDir dir;
    const std::string images = "images:\n  base:\n    path: images/bsae.cimg\n";  // lines 5-7
    const auto group = load_file(dir.write(
        "site.yaml", base_config + images + "groups:\n  lab: {image: base, action: image}\n"));
    require_single_error(group, (dir.path() / "site.yaml").string(), 7, 11, "images.base.path",
                         "does not exist but group \"lab\" (action: image) images from it");
    const auto host = load_file(dir.write(
        "host.yaml",
        base_config + images +
            "groups:\n  lab: {image: base}\n"
            "hosts:\n  - {mac: \"52:54:00:00:00:01\", name: a, group: lab, action: image}\n"));
    require_single_error(host, (dir.path() / "host.yaml").string(), 7, 11, "images.base.path",
                         "host \"a\" (action: image) images from it");
    const auto rollout = load_file(dir.write(
        "rollout.yaml", base_config + images + "rollouts:\n  night: {hosts: [], image: base}\n"));
    require_single_error(rollout, (dir.path() / "rollout.yaml").string(), 7, 11, "images.base.path",
                         "rollout \"night\" images from it");
    // Used by nothing that images (a group that boots locally): still only a warning.
    const auto local = load_file(
        dir.write("local.yaml", base_config + images + "groups:\n  lab: {image: base}\n"));
    INFO(all_text(local.diagnostics));
    CHECK(local.ok());
    CHECK(all_text(local.warnings).find("images.base.path") != std::string::npos);
}

TEST_CASE("state and password files inside boot.root are refused: TFTP and HTTP would serve them") {
    TempDir dir;
    dir.write("boot/ipxe.efi", "x");
    dir.write("boot/keys/image.pw", "pw\n");
    dir.write("keys/session.pw", "pw\n");
    dir.write("base.cimg", "x");
    const std::string head = "version: 1\nserver:\n  interfaces: [lab0]\n  data_dir: ";
    const std::string tail =
        "\nboot: {root: ./boot}\n"
        "images: {base: {path: base.cimg, password_file: PW}}\n";
    auto config = [&](const std::string& data_dir, const std::string& password) {
        auto text = head + data_dir + tail;
        text.replace(text.find("PW"), 2, password);
        return load_file(dir.write("site.yaml", text));
    };
    const auto site = (dir.path() / "site.yaml").string();
    // The data folder (job tokens, leases) under the root, also through "..", and a password.
    require_single_error(config("./boot/state", "keys/session.pw"), site, 4, 13, "server.data_dir",
                         "is inside boot.root");
    require_single_error(config("./keys/../boot/x/../state", "keys/session.pw"), site, 4, 13,
                         "server.data_dir", "which TFTP and HTTP serve to anyone on the boot LAN");
    require_single_error(config("./state", "boot/keys/image.pw"), site, 6, 49,
                         "images.base.password_file",
                         "expected the image password file outside it");
    // A link into the tree counts as the tree.
    std::filesystem::create_directory_symlink(dir.path() / "boot", dir.path() / "served");
    require_single_error(config("./served/state", "keys/session.pw"), site, 4, 13,
                         "server.data_dir", "is inside boot.root");
    // Beside the root is fine, also a name that only starts like it.
    CHECK(config("./state", "keys/session.pw").ok());
    CHECK(config("./boot-state", "keys/session.pw").ok());
}
