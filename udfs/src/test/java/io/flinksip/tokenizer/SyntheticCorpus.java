package io.flinksip.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded, generated test text: English-like documents (a Zipf-weighted lexicon of common words plus
 * invented words built from syllables, punctuation, numbers, paragraphs) with multilingual lines
 * mixed in. Nothing is downloaded, and the same seed always gives the same text.
 */
final class SyntheticCorpus {

    private static final String[] COMMON_WORDS =
            ("the of and to in a is that for it as was with be by on not he I this are or his from"
                 + " at which but have an they you were her she there one all we their can has been"
                 + " will more would if no when what so out up who about into than them its time"
                 + " only new some could these two may first then do any like my now over such our"
                 + " man me even most made after also did many before must through back years where"
                 + " much your way well down should because each just those people how too little"
                 + " state good very make world still own see men work long get here between both"
                 + " life being under never day same another know while last might us great old"
                 + " year off come since against go came right used take three himself few house"
                 + " use during without again place American around however home small found"
                 + " thought went say part once general high upon school every don't does got"
                 + " united left number course war until always away something fact though water"
                 + " less public put think almost hand enough far took head yet government system"
                 + " better set told nothing night end why called didn't eyes find going look asked"
                 + " later knew point next program city business give group toward young days let"
                 + " room president side social given present several order national second"
                 + " possible rather per face among form important often things looking large"
                 + " information learning model stream training language data river mountain"
                 + " question answer history science")
                    .split(" ");

    private static final String[] SYLLABLES =
            ("ka lo mi ne ra tu sel dor ven qua pri sto mar lin tes gra bol fen cor dis ent ion"
                            + " ter pre con ism ful ness ous ate ing ble ment")
                    .split(" ");

    private static final String[] MULTILINGUAL_LINES = {
        "Le café est très bon, n'est-ce pas ? Où est la bibliothèque ?",
        "Die Straße ist schön, und die Bäume blühen im Frühling.",
        "El niño comió una manzana mañana por la mañana.",
        "Москва — столица России, а Нева течёт через Петербург.",
        "Η γλώσσα είναι ένα ζωντανό σύστημα.",
        "机器学习正在改变世界，语言模型可以生成文本。",
        "東京は日本の首都です。ひらがなとカタカナ。",
        "한국어 문장도 포함되어 있습니다.",
        "اللغة العربية جميلة جدا.",
        "हिन्दी भाषा में यह एक वाक्य है।",
        "Emoji time: 😀🎉👍🏽 and a family 👨‍👩‍👧‍👦 here.",
        "Combining marks: e\u0301 a\u0308 n\u0303 and Zalgo-ish o\u0336\u0337.",
    };

    private SyntheticCorpus() {}

    /** Generates documents of about {@code totalChars} characters in all. */
    static List<String> documents(long seed, int totalChars) {
        Random random = new Random(seed);
        List<String> documents = new ArrayList<>();
        int size = 0;
        while (size < totalChars) {
            String document = document(random);
            documents.add(document);
            size += document.length();
        }
        return documents;
    }

    /** Generates one text of at least {@code minChars} characters. */
    static String text(long seed, int minChars) {
        return String.join("\n\n", documents(seed, minChars));
    }

    private static String document(Random random) {
        StringBuilder document = new StringBuilder();
        int paragraphs = 1 + random.nextInt(4);
        for (int p = 0; p < paragraphs; p++) {
            if (p > 0) {
                document.append("\n\n");
            }
            if (random.nextInt(12) == 0) {
                document.append(MULTILINGUAL_LINES[random.nextInt(MULTILINGUAL_LINES.length)]);
                continue;
            }
            int sentences = 2 + random.nextInt(6);
            for (int s = 0; s < sentences; s++) {
                if (s > 0) {
                    document.append(' ');
                }
                appendSentence(document, random);
            }
        }
        return document.toString();
    }

    private static void appendSentence(StringBuilder out, Random random) {
        int words = 4 + random.nextInt(16);
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                out.append(random.nextInt(10) == 0 ? ", " : " ");
            }
            String word = word(random);
            out.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
        }
        out.append(".?!".charAt(random.nextInt(10) < 8 ? 0 : 1 + random.nextInt(2)));
    }

    private static String word(Random random) {
        int kind = random.nextInt(100);
        if (kind < 3) {
            return Integer.toString(random.nextInt(kind == 0 ? 100_000 : 2_030));
        }
        if (kind < 15) {
            StringBuilder invented = new StringBuilder();
            int syllables = 2 + random.nextInt(3);
            for (int i = 0; i < syllables; i++) {
                invented.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            return invented.toString();
        }
        // Zipf-like: squaring a uniform draw favours the front of the lexicon.
        double u = random.nextDouble();
        return COMMON_WORDS[(int) (u * u * COMMON_WORDS.length)];
    }
}
