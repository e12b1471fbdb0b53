using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using FoamPS.Engine;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>
    /// Completes Copy-FoamTutorial -Name with the tutorial cases of the image (-Image, else the
    /// default). Never throws and never waits more than a second: the list is found in the
    /// background on the first Tab and cached, so a later Tab has it.
    /// </summary>
    public sealed class TutorialNameCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(1);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                var image = fakeBoundParameters["Image"] as string ?? FoamDefaults.Image;
                var engine = Completion.Engine(fakeBoundParameters);
                if (engine == null) return Array.Empty<CompletionResult>();
                var listing = Tutorials.ListAsync(engine, image);
                if (!listing.Wait(Patience) || listing.IsFaulted) return Array.Empty<CompletionResult>();
                var prefix = wordToComplete.Trim('\'', '"');
                return listing.Result
                    .Where(t => t.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || t.IndexOf("/" + prefix, StringComparison.OrdinalIgnoreCase) >= 0)
                    .Select(t => new CompletionResult(t, t, CompletionResultType.ParameterValue, t))
                    .ToList();
            }
            catch (Exception)
            {
                return Array.Empty<CompletionResult>();
            }
        }
    }
}
