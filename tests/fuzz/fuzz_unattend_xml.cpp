// Any bytes as unattend.xml with two settings (one existing-path shape, one nested): a document
// or an ImagerError, and a document it gives must take the same settings again unchanged.
#include <cstdint>
#include <string>

#include "imager/errors.hpp"
#include "imager/unattend_xml.hpp"

using namespace castline::imager;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string xml(reinterpret_cast<const char*>(data), size);
    const std::vector<UnattendSetting> settings = {
        {"specialize/Microsoft-Windows-Shell-Setup/ComputerName", "WS01"},
        {"oobeSystem/Microsoft-Windows-Shell-Setup/UserAccounts/AdministratorPassword/Value",
         "a&b<c>\"d'"}};
    try {
        const std::string out = set_unattend_values(xml, settings);
        if (set_unattend_values(out, settings) != out) __builtin_trap();
    } catch (const ImagerError&) {
    }
    return 0;
}
