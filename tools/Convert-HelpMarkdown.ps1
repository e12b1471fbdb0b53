<#
.SYNOPSIS
    Turns docs/en-US/*.md (the help's source of truth) into MAML (FoamPS.dll-Help.xml) and about_*.help.txt
    for the staged module. Parameter facts (position, pipeline input, aliases, types) come from the compiled
    cmdlets; the words come from the markdown. platyPS is not available here: this is the small converter.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DocsPath
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'FoamPS.psd1') -Force
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

# "## NAME" sections, and "### sub" sections within them, of one markdown file.
function Read-Sections([string] $Path) {
    $sections = [ordered]@{}
    $current = $null; $sub = $null; $inCode = $false
    foreach ($line in Get-Content -LiteralPath $Path) {
        if ($line -match '^```') { $inCode = -not $inCode }
        if (-not $inCode -and $line -match '^## (.+)$') { $current = $Matches[1].Trim(); $sections[$current] = [ordered]@{ '' = [Collections.Generic.List[string]]::new() }; $sub = ''; continue }
        if (-not $inCode -and $line -match '^### (.+)$' -and $current) { $sub = $Matches[1].Trim(); $sections[$current][$sub] = [Collections.Generic.List[string]]::new(); continue }
        if ($current) { $sections[$current][$sub].Add($line) }
    }
    $sections
}

function Get-Paragraphs([string[]] $Lines) {
    (($Lines -join "`n").Trim() -split "\n\s*\n") | Where-Object { $_.Trim() } | ForEach-Object { ($_ -replace '\s*\n\s*', ' ').Trim() }
}

# "Int32" for int?, "String[]" for string[]: the name a user types.
function Get-TypeName([type] $Type) {
    $inner = [Nullable]::GetUnderlyingType($Type)
    if ($inner) { $inner.Name } else { $Type.Name }
}

$maml = 'http://schemas.microsoft.com/maml/2004/10'
$cmd = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$settings = [Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [Text.UTF8Encoding]::new($false) }
$target = Join-Path ([IO.Path]::GetTempPath()) "FoamPS.dll-Help.$PID.xml"
$w = [Xml.XmlWriter]::Create($target, $settings)
$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh'); $w.WriteAttributeString('schema', 'maml')
function Para([string] $Text) { $w.WriteElementString('para', $maml, $Text) }
function Description([string[]] $Paragraphs) { $w.WriteStartElement('description', $maml); foreach ($p in $Paragraphs) { Para $p }; $w.WriteEndElement() }

# Parameters every engine cmdlet shares (-DockerHost, -Context, -TlsCertPath, -TlsSkipVerify): described once.
$shared = (Read-Sections (Join-Path $DocsPath '_EngineParameters.md'))['PARAMETERS']

foreach ($command in Get-Command -Module FoamPS -CommandType Cmdlet | Sort-Object Name) {
    $file = Join-Path $DocsPath "$($command.Name).md"
    if (-not (Test-Path $file)) { throw "No help for $($command.Name): write $file" }
    $doc = Read-Sections $file
    $w.WriteStartElement('command', 'command', $cmd)
    $w.WriteAttributeString('xmlns', 'maml', $null, $maml); $w.WriteAttributeString('xmlns', 'dev', $null, $dev)
    $w.WriteStartElement('details', $cmd)
    $w.WriteElementString('name', $cmd, $command.Name)
    $w.WriteElementString('verb', $cmd, $command.Verb)
    $w.WriteElementString('noun', $cmd, $command.Noun)
    Description (Get-Paragraphs $doc['SYNOPSIS']['']); $w.WriteEndElement()
    Description (Get-Paragraphs $doc['DESCRIPTION'][''])

    $parameters = $command.Parameters.Values | Where-Object { $_.Name -notin $common }
    $w.WriteStartElement('syntax', $cmd)
    foreach ($set in $command.ParameterSets) {
        $w.WriteStartElement('syntaxItem', $cmd); $w.WriteElementString('name', $maml, $command.Name)
        foreach ($p in $set.Parameters | Where-Object { $_.Name -notin $common }) {
            $w.WriteStartElement('parameter', $cmd)
            $w.WriteAttributeString('required', "$($p.IsMandatory)".ToLower()); $w.WriteAttributeString('position', $(if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' }))
            $w.WriteElementString('name', $maml, $p.Name)
            if ($p.ParameterType -ne [System.Management.Automation.SwitchParameter]) { $w.WriteElementString('parameterValue', $cmd, (Get-TypeName $p.ParameterType)) }
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    # Defaults as the compiled cmdlet has them (a fresh instance's property values), so the help cannot drift.
    $fresh = try { [Activator]::CreateInstance($command.ImplementingType) } catch { $null }
    $w.WriteStartElement('parameters', $cmd)
    foreach ($p in $parameters) {
        $text = $doc['PARAMETERS']["-$($p.Name)"]
        if (-not $text) { $text = $shared["-$($p.Name)"] }
        if (-not $text) { throw "$file documents no -$($p.Name)" }
        $attrs = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        $pipeline = @(if ($attrs.ValueFromPipeline -contains $true) { 'ByValue' }; if ($attrs.ValueFromPipelineByPropertyName -contains $true) { 'ByPropertyName' })
        $position = ($attrs | Where-Object { $_.Position -ge 0 } | Select-Object -First 1).Position
        $w.WriteStartElement('parameter', $cmd)
        $w.WriteAttributeString('required', "$(@($attrs.Mandatory) -contains $true)".ToLower())
        $w.WriteAttributeString('globbing', "$(@($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count -gt 0)".ToLower())
        $w.WriteAttributeString('pipelineInput', $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }))
        $w.WriteAttributeString('position', $(if ($null -ne $position) { "$position" } else { 'named' }))
        $w.WriteAttributeString('aliases', $(if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }))
        $w.WriteElementString('name', $maml, $p.Name)
        Description (Get-Paragraphs $text)
        $w.WriteElementString('parameterValue', $cmd, (Get-TypeName $p.ParameterType))
        $w.WriteStartElement('type', $dev); $w.WriteElementString('name', $maml, $p.ParameterType.FullName); $w.WriteEndElement()
        $default = if ($fresh) { $fresh.($p.Name) }
        $defaultText = if ($p.ParameterType -eq [System.Management.Automation.SwitchParameter]) { 'False' }
                       elseif ($null -eq $default -or "$default" -eq '' -or ($default -is [array] -and $default.Count -eq 0)) {
                           # Chosen when the command runs (an environment variable, the host's uid): the words say it.
                           $said = [regex]::Match(((Get-Paragraphs $text) -join ' '), '\bDefault: (?<d>[^;]+?)(?:;|\.(?:\s|$))')
                           if ($said.Success) { $said.Groups['d'].Value.Trim() } else { 'None' }
                       }
                       elseif ($default -is [array]) { $default -join ', ' }
                       else { "$default" }
        $w.WriteElementString('defaultValue', $dev, $defaultText)
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    foreach ($kind in @(@('INPUTS', 'inputTypes', 'inputType'), @('OUTPUTS', 'returnValues', 'returnValue'))) {
        $w.WriteStartElement($kind[1], $cmd)
        foreach ($key in $doc[$kind[0]].Keys | Where-Object { $_ }) {
            $w.WriteStartElement($kind[2], $cmd)
            $w.WriteStartElement('type', $dev); $w.WriteElementString('name', $maml, $key); $w.WriteEndElement()
            Description (Get-Paragraphs $doc[$kind[0]][$key])
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    $w.WriteStartElement('alertSet', $maml); $w.WriteStartElement('alert', $maml)
    foreach ($p in Get-Paragraphs $doc['NOTES']['']) { Para $p }
    $w.WriteEndElement(); $w.WriteEndElement()

    $w.WriteStartElement('examples', $cmd)
    foreach ($title in $doc['EXAMPLES'].Keys | Where-Object { $_ }) {
        $lines = $doc['EXAMPLES'][$title]
        $code = [Collections.Generic.List[string]]::new(); $rest = [Collections.Generic.List[string]]::new(); $in = $false
        foreach ($l in $lines) { if ($l -match '^```') { $in = -not $in; continue }; if ($in) { $code.Add($l) } else { $rest.Add($l) } }
        $w.WriteStartElement('example', $cmd)
        $w.WriteElementString('title', $maml, "-------------------------- $title --------------------------")
        $w.WriteElementString('code', $dev, ($code -join "`n"))
        $w.WriteStartElement('remarks', $dev); foreach ($p in Get-Paragraphs $rest) { Para $p }; $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    # "- Name" lines: other FoamPS cmdlets and about_ topics (Get-Help shows them under RELATED LINKS).
    $w.WriteStartElement('relatedLinks', $maml)
    if ($doc.Contains('RELATED LINKS')) {
        foreach ($line in $doc['RELATED LINKS'][''] | Where-Object { $_ -match '^\s*-\s+(\S.*)$' }) {
            $w.WriteStartElement('navigationLink', $maml)
            $w.WriteElementString('linkText', $maml, ($line -replace '^\s*-\s+', '').Trim())
            $w.WriteElementString('uri', $maml, '')
            $w.WriteEndElement()
        }
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement(); $w.WriteEndDocument(); $w.Close()

foreach ($framework in Get-ChildItem (Join-Path $ModulePath 'bin') -Directory) {
    $culture = Join-Path $framework.FullName 'en-US'
    New-Item -ItemType Directory -Path $culture -Force | Out-Null
    Copy-Item $target (Join-Path $culture 'FoamPS.dll-Help.xml')
}
Remove-Item $target

# about_ topics: plain text beside the manifest, in the culture folder.
$aboutDir = Join-Path $ModulePath 'en-US'
New-Item -ItemType Directory -Path $aboutDir -Force | Out-Null
foreach ($about in Get-ChildItem $DocsPath -Filter 'about_*.md') {
    $text = (Get-Content -LiteralPath $about.FullName) -replace '^#{1,3} ', '' -replace '^```.*$', ''
    Set-Content -LiteralPath (Join-Path $aboutDir ($about.BaseName + '.help.txt')) -Value $text
}
