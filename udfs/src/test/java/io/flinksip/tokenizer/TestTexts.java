package io.flinksip.tokenizer;

import java.util.List;

/** Hand-written texts that exercise the corners of pre-tokenization and byte-level decoding. */
final class TestTexts {

    static final List<String> TRICKY =
            List.of(
                    "Hello, world!",
                    "Ça va? Très bien, merci. Ångström, naïve, façade, jalapeño.",
                    "中文分词测试：机器学习。日本語のテキスト。한국어 텍스트.",
                    "Emoji 😀 and skin tones 👍🏽 and ZWJ 👨‍👩‍👧‍👦 and flags 🇫🇷🇯🇵.",
                    "Combining: e\u0301 a\u0308 o\u0336\u0337 \u0915\u093F \u05E9\u05C1",
                    "  leading spaces, trailing spaces   ",
                    "tabs\tand\t\ttabs\n\nnewlines\r\nwindows\n   \n\tmixed \t \n",
                    "It's, they're, we've, I'm, you'll, he'd, DON'T, 'quoted'",
                    "Numbers 1234567890 3.14159 1,000,000 ٣٤٥ ⅔ ²",
                    "Unicode spaces: a\u00A0b c\u3000d e\u2003f g\u0085h\u2028i",
                    "Symbols: <html> &amp; {\"json\": [1, 2]} $100 @user #tag ~/path \\n",
                    "",
                    " ",
                    "\n",
                    "x",
                    "a".repeat(500) + " " + "ab".repeat(300));

    private TestTexts() {}
}
