namespace FoamPS
{
    /// <summary>One linear solve of one field in a solver log (FoamPS.FoamResidual).</summary>
    public sealed class FoamResidual
    {
        /// <summary>The simulated time of the step the solve belongs to.</summary>
        public double Time { get; set; }

        public string Field { get; set; } = "";

        /// <summary>The linear solver (smoothSolver, DICPCG, GAMG ...).</summary>
        public string Solver { get; set; } = "";

        public double InitialResidual { get; set; }
        public double FinalResidual { get; set; }
        public int Iterations { get; set; }

        /// <summary>1 for the first solve of this field in its time step, 2 for the second (PISO/PIMPLE correctors) ...</summary>
        public int Index { get; set; }

        /// <summary>The PIMPLE outer iteration, when the log names it.</summary>
        public int? OuterIteration { get; set; }

        /// <summary>The region of a multi-region solver, when the log names it.</summary>
        public string? Region { get; set; }

        /// <summary>The log the solve was read from.</summary>
        public string? LogPath { get; set; }
    }

    /// <summary>One time step of a solver log (FoamPS.FoamTimeStep).</summary>
    public sealed class FoamTimeStep
    {
        public double Time { get; set; }

        /// <summary>deltaT, when the solver prints it (adjustable time step).</summary>
        public double? DeltaT { get; set; }

        public double? CourantMean { get; set; }
        public double? CourantMax { get; set; }

        /// <summary>Cumulative CPU seconds at the end of the step.</summary>
        public double? ExecutionTime { get; set; }

        /// <summary>Cumulative wall-clock seconds at the end of the step.</summary>
        public double? ClockTime { get; set; }

        /// <summary>The last "time step continuity errors" of the step.</summary>
        public double? ContinuitySumLocal { get; set; }
        public double? ContinuityGlobal { get; set; }
        public double? ContinuityCumulative { get; set; }

        /// <summary>How many linear solves the step made.</summary>
        public int Solves { get; set; }

        public string? LogPath { get; set; }
    }
}
