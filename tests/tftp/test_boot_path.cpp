#include <doctest/doctest.h>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tftp/boot_path.hpp"

using namespace castline::tftp;
namespace fs = std::filesystem;

namespace {
PathProblem problem_of(std::string_view requested) {
    const auto r = normalize_request_path(requested);
    REQUIRE(std::holds_alternative<PathProblem>(r));
    return std::get<PathProblem>(r);
}
std::string normal(std::string_view requested) {
    const auto r = normalize_request_path(requested);
    REQUIRE(std::holds_alternative<std::string>(r));
    return std::get<std::string>(r);
}

// A temporary boot root with a file inside, a secret beside it and links both ways.
struct Tree {
    fs::path base =
        fs::temp_directory_path() / ("castline-boot-path-" + std::to_string(::getpid()));
    fs::path root = base / "root";
    Tree() {
        fs::remove_all(base);
        fs::create_directories(root / "efi");
        std::ofstream(root / "efi" / "boot.efi") << "loader";
        std::ofstream(base / "secret") << "secret";
        fs::create_symlink("../secret", root / "escape");
        fs::create_symlink(base / "secret", root / "escape_abs");
        fs::create_symlink("efi/boot.efi", root / "alias");
        fs::create_symlink("..", root / "up");
    }
    ~Tree() { fs::remove_all(base); }
};
}  // namespace

TEST_CASE("names are normalised: backslashes, one leading slash, dots, empty components") {
    CHECK(normal("pxelinux.0") == "pxelinux.0");
    CHECK(normal("/pxelinux.0") == "pxelinux.0");
    CHECK(normal("boot\\x64\\grubx64.efi") == "boot/x64/grubx64.efi");
    CHECK(normal("\\boot\\bcd") == "boot/bcd");
    CHECK(normal("a//b/./c/") == "a/b/c");
}

TEST_CASE("escapes and hostile names are refused") {
    CHECK(problem_of("../etc/passwd") == PathProblem::parent);
    CHECK(problem_of("a/../../b") == PathProblem::parent);
    CHECK(problem_of("a\\..\\..\\b") == PathProblem::parent);
    CHECK(problem_of("//etc/passwd") == PathProblem::absolute);
    CHECK(problem_of("\\\\server\\share") == PathProblem::absolute);
    CHECK(problem_of("C:\\boot.ini") == PathProblem::absolute);
    CHECK(problem_of(std::string_view("a\0b", 3)) == PathProblem::nul_byte);
    CHECK(problem_of("a\nb") == PathProblem::control_char);
    CHECK(problem_of(std::string(max_path_length + 1, 'a')) == PathProblem::too_long);
    CHECK(problem_of(std::string(max_component_length + 1, 'a')) == PathProblem::too_long);
    CHECK(problem_of("") == PathProblem::empty);
    CHECK(problem_of("/") == PathProblem::empty);
    CHECK(problem_of("./.") == PathProblem::empty);
}

TEST_CASE("opening stays inside the root, through links too") {
    Tree tree;
    const BootRoot root(tree.root);
    auto ok = root.open("efi/boot.efi");
    REQUIRE(std::holds_alternative<ConfinedFile>(ok));
    CHECK(std::get<ConfinedFile>(ok).size() == 6);
    CHECK(std::holds_alternative<ConfinedFile>(root.open("alias")));

    auto problem = [&](const std::string& name) {
        auto r = root.open(name);
        REQUIRE(std::holds_alternative<PathProblem>(r));
        return std::get<PathProblem>(r);
    };
    CHECK(problem("escape") == PathProblem::outside_root);
    CHECK(problem("escape_abs") == PathProblem::outside_root);
    CHECK(problem("up/secret") == PathProblem::outside_root);
    // A link in a middle component that leads out of the tree, to a file that exists there.
    fs::create_directories(tree.base / "outside");
    std::ofstream(tree.base / "outside" / "boot.efi") << "secret";
    fs::create_symlink("../outside", tree.root / "out_dir");
    fs::create_symlink(tree.base / "outside", tree.root / "out_dir_abs");
    CHECK(problem("out_dir/boot.efi") == PathProblem::outside_root);
    CHECK(problem("out_dir_abs/boot.efi") == PathProblem::outside_root);
    CHECK(problem("missing") == PathProblem::not_found);
    CHECK(problem("efi") == PathProblem::not_regular);
    CHECK(is_violation(PathProblem::outside_root));
    CHECK_FALSE(is_violation(PathProblem::not_found));
}

TEST_CASE("a directory swapped for a link to outside during opens never yields the outside file") {
    // root/efi flips between the real directory and a link to base/outside, which holds a file
    // of the same name. A check that resolves first and opens later reads the outside file
    // whenever the flip falls between the two.
    Tree tree;
    fs::create_directories(tree.base / "outside");
    std::ofstream(tree.base / "outside" / "boot.efi") << "secret";
    fs::create_symlink(tree.base / "outside", tree.root / "efi_link");
    const BootRoot root(tree.root);
    std::atomic<bool> done{false};
    std::thread flipper([&] {
        const auto a = (tree.root / "efi").string(), b = (tree.root / "efi_link").string();
        for (int i = 0; i < 2'000'000 && !done; ++i)
            ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE);
    });
    int inside = 0, outside = 0;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    for (int i = 0; i < 20'000 && std::chrono::steady_clock::now() < until; ++i) {
        auto r = root.open("efi/boot.efi");
        if (auto* file = std::get_if<ConfinedFile>(&r)) {
            char bytes[6] = {};
            REQUIRE(::pread(file->fd(), bytes, sizeof bytes, 0) == 6);
            (std::string(bytes, 6) == "secret" ? outside : inside) += 1;
        }
    }
    done = true;
    flipper.join();
    INFO("opened inside " << inside << " times");
    CHECK(inside > 0);
    CHECK(outside == 0);
}

TEST_CASE("without openat2 the resolved path is checked against the root") {
    Tree tree;
    const BootRoot root(tree.root);
    CHECK(std::holds_alternative<ConfinedFile>(root.open_checked("efi/boot.efi")));
    CHECK(std::holds_alternative<ConfinedFile>(root.open_checked("alias")));
    for (const char* name : {"escape", "escape_abs", "up/secret"}) {
        auto r = root.open_checked(name);
        REQUIRE(std::holds_alternative<PathProblem>(r));
        CHECK(std::get<PathProblem>(r) == PathProblem::outside_root);
    }
}

TEST_CASE("messages for clients never name a server path") {
    for (auto p : {PathProblem::empty, PathProblem::nul_byte, PathProblem::control_char,
                   PathProblem::too_long, PathProblem::parent, PathProblem::absolute,
                   PathProblem::outside_root, PathProblem::not_found, PathProblem::not_regular,
                   PathProblem::unreadable})
        CHECK(describe(p).find('/') == std::string_view::npos);
}
