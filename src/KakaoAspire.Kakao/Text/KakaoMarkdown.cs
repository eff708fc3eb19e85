using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace KakaoAspire.Kakao.Text;

/// <summary>
/// Markdown as KakaoTalk shows it best: plain text. A CommonMark parser (Markdig, with pipe tables and ~~strike~~)
/// reads the answer as the model meant it, so escapes, entities, snake_case and 2 * 3 survive, and the text is
/// written back without markers: headings and emphasis keep their words, [text](url) becomes "text (url)", bullets
/// become "• ", quotes and rules lose their marks, code keeps its lines verbatim without fences, and each table row
/// becomes one line "header: value, header: value". Blocks are separated as the author separated them (a blank
/// line where the source had one), because KakaoTalk keeps every newline.
/// </summary>
public static class KakaoMarkdown
{
    /// <summary>The parser every reader of agent answers shares (a pipeline is immutable and thread-safe).</summary>
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras(Markdig.Extensions.EmphasisExtras.EmphasisExtraOptions.Strikethrough)
        .Build();

    public static MarkdownDocument Parse(string markdown) => Markdown.Parse(markdown, Pipeline);

    public static string ToPlainText(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        // Spans index the normalized text, so the blank-line test reads the same string the parser did.
        var source = markdown.Replace("\r\n", "\n");
        return Blocks(Parse(source), source).Trim();
    }

    /// <summary>One block as plain text (empty for a rule or a link definition); the source is what was parsed.</summary>
    public static string Block(Block block, string source) => block switch
    {
        ParagraphBlock paragraph => Inlines(paragraph.Inline),
        HeadingBlock heading => Inlines(heading.Inline),
        CodeBlock code => string.Join('\n', code.Lines.Lines.Take(code.Lines.Count).Select(l => l.Slice.ToString())),
        ListBlock list => List(list, source),
        Table table => TableRows(table),
        QuoteBlock quote => Blocks(quote, source),
        ContainerBlock container => Blocks(container, source),
        _ => "",
    };

    /// <summary>The inline text of a paragraph or heading, markers removed.</summary>
    public static string Inlines(ContainerInline? inlines)
    {
        if (inlines is null)
        {
            return "";
        }
        var text = new StringBuilder();
        AppendInlines(text, inlines);
        return text.ToString().Trim();
    }

    private static string Blocks(ContainerBlock container, string source)
    {
        var text = new StringBuilder();
        Block? previous = null;
        foreach (var block in container)
        {
            var rendered = Block(block, source);
            if (rendered.Length == 0)
            {
                continue;
            }
            if (previous is not null)
            {
                text.Append(BlankLineBetween(source, previous, block) ? "\n\n" : "\n");
            }
            text.Append(rendered);
            previous = block;
        }
        return text.ToString();
    }

    private static string List(ListBlock list, string source)
    {
        var text = new StringBuilder();
        Block? previous = null;
        var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            if (previous is not null)
            {
                text.Append(BlankLineBetween(source, previous, item) ? "\n\n" : "\n");
            }
            var marker = list.IsOrdered ? $"{(item.Order > 0 ? item.Order : number)}. " : "• ";
            // Continuation lines (and nested lists) sit under the item's text.
            var indent = new string(' ', list.IsOrdered ? marker.Length : 2);
            var lines = Blocks(item, source).Split('\n');
            text.Append(marker).Append(lines[0]);
            foreach (var line in lines.Skip(1))
            {
                text.Append('\n');
                if (line.Length > 0)
                {
                    text.Append(indent).Append(line);
                }
            }
            previous = item;
            number++;
        }
        return text.ToString();
    }

    // A table is a grid KakaoTalk cannot draw: each body row becomes one line that names its columns.
    private static string TableRows(Table table)
    {
        var rows = table.OfType<TableRow>().Select(r => r.OfType<TableCell>().Select(Cell).ToList()).ToList();
        var header = table.OfType<TableRow>().FirstOrDefault()?.IsHeader == true ? rows[0] : null;
        var body = header is null ? rows : rows.Skip(1).ToList();
        if (body.Count == 0)
        {
            return header is null ? "" : string.Join(" | ", header.Where(h => h.Length > 0));
        }
        return string.Join('\n', body.Select(cells => "• " + string.Join(", ", cells
            .Select((value, i) => header is not null && i < header.Count && header[i].Length > 0 && value.Length > 0 ? $"{header[i]}: {value}" : value)
            .Where(v => v.Length > 0))));
    }

    private static string Cell(TableCell cell) => string.Join(' ', cell.OfType<LeafBlock>().Select(b => b is ParagraphBlock p ? Inlines(p.Inline) : "").Where(t => t.Length > 0));

    private static void AppendInlines(StringBuilder text, ContainerInline container)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case LinkInline link:
                    text.Append(LinkText(Inlines(link), link.GetDynamicUrl?.Invoke() ?? link.Url ?? ""));
                    break;
                case LineBreakInline:
                    text.Append('\n');
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.AsSpan());
                    break;
                case HtmlInline html:
                    // Tags mean nothing in a chat bubble; a line break still means one.
                    if (html.Tag.StartsWith("<br", StringComparison.OrdinalIgnoreCase))
                    {
                        text.Append('\n');
                    }
                    break;
                case ContainerInline inner:
                    AppendInlines(text, inner);
                    break;
            }
        }
    }

    /// <summary>"text (url)", or the bare url when the text says nothing more.</summary>
    public static string LinkText(string text, string url) =>
        url.Length == 0 ? text : text.Length == 0 || text == url ? url : $"{text} ({url})";

    // Whether the author left a blank line between two sibling blocks (inside a quote, a line of only ">" counts).
    private static bool BlankLineBetween(string source, Block previous, Block next)
    {
        var from = Math.Clamp(ContentEnd(previous) + 1, 0, source.Length);
        var to = Math.Clamp(next.Span.Start, from, source.Length);
        var newlines = 0;
        for (var i = from; i < to; i++)
        {
            var c = source[i];
            if (c == '\n')
            {
                if (++newlines >= 2)
                {
                    return true;
                }
            }
            else if (c is not (' ' or '\t' or '>'))
            {
                newlines = 0;
            }
        }
        return false;
    }

    // A list's own span takes in the blank lines after it; its last leaf ends where its text does.
    private static int ContentEnd(Block block) =>
        block is ContainerBlock { Count: > 0 } container ? ContentEnd(container[^1]) : block.Span.End;
}
