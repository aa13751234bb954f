/**
 * Text data for sequence models: corpora, vocabularies, language-model windows and a baseline.
 *
 * <ul>
 *   <li>{@link dev.kiln.data.text.KjvCorpus} — the King James Bible with its books
 *       ({@link dev.kiln.data.text.KjvBook}), found through an explicit path, {@code KILN_DATA},
 *       the cache {@code ~/.kiln/datasets/kjv/kjv.txt} or Debian's {@code bible-kjv} packages;
 *       held-out split by whole books (default: Hebrews to Revelation).</li>
 *   <li>{@link dev.kiln.data.text.TextFile} — any UTF-8 text file the user names, with clear errors
 *       for empty files and bad UTF-8; {@link dev.kiln.data.text.TextSplit} and
 *       {@link dev.kiln.data.text.TextStats}.</li>
 *   <li>{@link dev.kiln.data.text.CharVocab} and {@link dev.kiln.data.text.WordVocab} — token
 *       &harr; id maps ({@link dev.kiln.data.text.Vocabulary}) that save into a checkpoint as a
 *       string and parse back.</li>
 *   <li>{@link dev.kiln.data.text.SequenceWindows} — a {@link dev.kiln.data.Dataset} of fixed-length
 *       windows with targets shifted by one, for {@link dev.kiln.data.DataLoader}.</li>
 *   <li>{@link dev.kiln.data.text.UnigramModel} — the add-one smoothed unigram baseline in bits per
 *       character.</li>
 * </ul>
 *
 * <pre>{@code
 * TextSplit s = KjvCorpus.load().split();                  // or TextFile.split(TextFile.load(path), 0.05)
 * CharVocab vocab = CharVocab.build(s.train(), true);
 * SequenceWindows train = SequenceWindows.of(vocab.encode(s.train()), 256, 128);
 * SequenceWindows heldOut = SequenceWindows.of(vocab.encode(s.heldOut()), 256);
 * double baseline = UnigramModel.bitsPerChar(s.train(), s.heldOut());   // 4.314 on the KJV
 * for (Batch b : DataLoader.builder(train).batchSize(64).shuffle(1).dropLast(true).build()) {
 *     Tensor ids = SequenceWindows.inputIds(b);   // {64, 256} INT32
 *     Tensor targets = b.y();                     // {64, 256} INT32
 * }
 * }</pre>
 */
package dev.kiln.data.text;
