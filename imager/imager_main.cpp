// castline-imager: capture, restore, validate and inspect images. Filled by the image format issue.
#include <cstdio>

int main() {
    std::fputs("usage: castline-imager capture|restore|validate|info ...\n", stderr);
    return 2;
}
