using System;
using System.IO;
using System.Management.Automation;

namespace FoamPS.Commands
{
    /// <summary>Files and folders a cmdlet returns, as Get-Item gives them (with the provider's properties, so they display like any other).</summary>
    internal static class FileSystemItems
    {
        public static object AsItem(this PSCmdlet cmdlet, FileSystemInfo info)
        {
            try
            {
                var items = cmdlet.InvokeProvider.Item.Get(new[] { info.FullName }, true, true);
                if (items.Count == 1) return items[0];
            }
            catch (Exception e) when (e is ProviderNotFoundException || e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException) { }
            return info;
        }
    }
}
