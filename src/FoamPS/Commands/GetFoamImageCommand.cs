using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>Local images as FoamImage objects; wildcards on the reference (Get-FoamImage opencfd/*).</summary>
    [Cmdlet(VerbsCommon.Get, "FoamImage")]
    [OutputType(typeof(FoamImage))]
    public sealed class GetFoamImageCommand : FoamCmdlet
    {
        /// <summary>References or patterns ("opencfd/*", "*:2406"); a name without a tag matches all its tags.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [Alias("Reference")]
        [ArgumentCompleter(typeof(ImageCompleter))]
        public string[]? Image { get; set; }

        protected override void ProcessRecord()
        {
            var patterns = Image ?? new[] { "*" };
            RunAsync(async ct =>
            {
                var engine = Engine;
                var images = await FoamImages.ListAsync(engine, ct).ConfigureAwait(false);
                foreach (var pattern in patterns)
                {
                    var matches = new List<(string Reference, string Id)>();
                    foreach (var image in images)
                    {
                        var hit = (image.RepoTags ?? new List<string>()).FirstOrDefault(t => Matches(t, pattern));
                        if (hit != null) matches.Add((hit, image.ID));
                    }
                    if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                    {
                        PostError(new FoamImageNotFoundException(pattern, engine.Endpoint.ToString()));
                        continue;
                    }
                    var described = await Task.WhenAll(matches.Select(m => FoamImages.DescribeAsync(engine, m.Id, m.Reference, ct))).ConfigureAwait(false);
                    for (var i = 0; i < matches.Count; i++)
                    {
                        if (described[i] is FoamImage d) PostObject(d);
                    }
                }
            });
        }

        /// <summary>"repo:tag" against a pattern; a pattern without a tag matches every tag of the repository.</summary>
        private static bool Matches(string repoTag, string pattern)
        {
            if (repoTag == "<none>:<none>") return false;
            var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
            if (wildcard.IsMatch(repoTag)) return true;
            var lastSlash = repoTag.LastIndexOf('/');
            var colon = repoTag.IndexOf(':', lastSlash + 1);
            var repo = colon > 0 ? repoTag.Substring(0, colon) : repoTag;
            var patternHasTag = pattern.IndexOf(':', Math.Max(0, pattern.LastIndexOf('/'))) >= 0;
            return !patternHasTag && wildcard.IsMatch(repo);
        }
    }
}
