namespace Cluster.Tools.Fuzz;

/// <summary>A target whose inputs are mostly mutations of its corpus and a tenth pure random data.</summary>
public abstract class CorpusTarget(IReadOnlyList<byte[]> corpus, bool text) : FuzzTarget
{
    public IReadOnlyList<byte[]> Corpus => corpus;

    public override byte[] NextInput(Random random)
    {
        if (corpus.Count == 0 || random.Next(10) == 0)
            return Mutator.Random(random, text);
        var entry = corpus[random.Next(corpus.Count)];
        // Some entries go in unchanged: the valid path must stay clean too.
        return random.Next(50) == 0 ? entry : Mutator.Mutate(random, entry, corpus);
    }
}
