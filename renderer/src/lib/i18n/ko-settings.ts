/**
 * Korean wording of the engine's settings (the engine describes each setting in English, see
 * library.settings and people.settings). Keys not listed here are shown in the engine's words.
 */
export const koSettings: Record<string, { label: string; description: string }> = {
  minFaceSize: {
    label: '찾을 가장 작은 얼굴 (픽셀)',
    description:
      '원본 사진에서 이보다 작은 얼굴은 무시합니다. 낮추면 배경의 사람도 찾지만 시간이 더 걸리고 알아보기 어려운 작은 얼굴이 늘어납니다. 이후 색인하는 사진부터 적용됩니다.',
  },
  minScore: {
    label: '얼굴이라고 판단할 확신의 정도',
    description:
      '높이면 잘못 찾은 얼굴(무늬, 포스터)이 줄지만 어둡거나 비스듬한 얼굴을 놓칠 수 있습니다. 낮추면 더 많이 찾지만 지울 실수도 늘어납니다. 이후 색인하는 사진부터 적용됩니다.',
  },
  groupingThreshold: {
    label: '얼굴을 한 묶음으로 묶을 만큼 닮은 정도',
    description:
      '높이면 묶음이 더 정확하지만 한 사람이 여러 묶음으로 나뉠 수 있습니다. 낮추면 묶음이 줄지만 닮은 사람(가족)이 함께 묶일 수 있습니다. 나누기보다 합치기가 쉽습니다.',
  },
  groupingRelative: {
    label: '묶음끼리 합칠 때 요구하는 닮은 정도',
    description:
      '자기 얼굴끼리 아주 닮은 묶음은 서로도 아주 닮아야 합쳐집니다. 여러 해에 걸친 한 사람의 묶음은 더 쉽게 합쳐질 수 있습니다. 높이면 닮은 사람을 더 자주 따로 둡니다.',
  },
  minGroupSize: {
    label: '보여 줄 가장 작은 묶음',
    description: '얼굴이 이보다 적은 묶음은 숨깁니다 (배경의 낯선 사람, 한 번만 나온 얼굴).',
  },
  seedMinFaceSize: {
    label: '묶음을 시작할 수 있는 가장 작은 얼굴 (픽셀)',
    description:
      '더 작은 얼굴은 묶음을 시작하기엔 정보가 부족합니다. 더 선명한 얼굴의 묶음에 들어갈 수는 있습니다.',
  },
  seedMinSharpness: {
    label: '묶음을 시작할 수 있는 최소 선명도',
    description: '더 흐린 얼굴은 묶음을 시작하지 않습니다. 더 선명한 얼굴의 묶음에 들어갈 수는 있습니다.',
  },
  seedMaxPose: {
    label: '묶음을 시작할 수 있는 가장 옆으로 돌린 얼굴 (0 정면, 1 옆모습)',
    description: '더 돌아간 얼굴은 묶음을 시작하지 않습니다. 묶음에 들어갈 수는 있습니다.',
  },
};
